using Bridge.Forwarding;
using Bridge.Slack;
using Microsoft.Extensions.Options;

namespace Bridge.Admin;

/// <summary>
/// A channel's name for the admin page and API, where one is known (the page shows the id otherwise). Slack names come from
/// conversations.info (kept a while by <see cref="SlackApiClient"/>); Teams names only from what Teams sent with a message
/// or a link command (its channelData), which the caller passes as the known name.
/// </summary>
internal sealed class ChannelNames(SlackApiClient slack, IOptions<SlackOptions> slackOptions)
{
    /// <summary>The channel's name, or null when none can be had (no Slack scope, Slack not answering, a Teams chat).</summary>
    public async Task<string?> NameAsync(ChannelRef channel, string? knownName, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(knownName))
        {
            return knownName;
        }

        if (channel.Platform != Platform.Slack || slackOptions.Value.MissingKeys().Count > 0)
        {
            return null;
        }

        try
        {
            return await slack.GetChannelNameAsync(channel.ChannelId, cancellationToken) is { } name ? "#" + name : null;
        }
        catch (Exception exception) when (exception is SlackApiException or ReplyException or HttpRequestException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A name is a label: the page shows the id rather than fail.
            return null;
        }
    }

    /// <summary>The names of the channels that have one, each asked once.</summary>
    public async Task<IReadOnlyDictionary<ChannelRef, string>> NamesAsync(
        IEnumerable<(ChannelRef Channel, string? KnownName)> channels, CancellationToken cancellationToken)
    {
        var names = new Dictionary<ChannelRef, string>();
        foreach (var (channel, knownName) in channels.OrderBy(c => string.IsNullOrWhiteSpace(c.KnownName)))
        {
            if (!names.ContainsKey(channel) && await NameAsync(channel, knownName, cancellationToken) is { } name)
            {
                names[channel] = name;
            }
        }

        return names;
    }
}
