using System.Text.RegularExpressions;
using Bridge.Delivery;
using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>
/// "@Bridge send …" (or any command word) in a message: runs like the slash command, answering in that message's thread,
/// which lets people use Bridge inside threads where slash commands cannot be used.
/// </summary>
internal sealed class SlackMentions(
    CommandService commands,
    SlackForwardBuilder builder,
    SlackAttachments attachments,
    SlackAdmins admins,
    SlackApiClient slack,
    SlackPrivateReplies privately)
{
    public const string Usage = "@Bridge";

    public async Task HandleAsync(string teamId, SlackEvent mention, string? botUserId, CancellationToken cancellationToken)
    {
        var userId = mention.User!;
        var channelId = mention.Channel!;
        var threadTs = mention.ThreadTs ?? mention.Ts;
        var command = SlackText.Command(StripMention(mention.Text ?? "", botUserId));
        // "@Bridge" with only files attached means: send the files.
        if (command.Length == 0 && mention.Files is { Count: > 0 })
        {
            command = "send";
        }

        var invocation = new CommandInvocation(
            new ChannelRef(Platform.Slack, teamId, channelId),
            userId,
            command,
            Usage,
            ct => admins.IsAdminAsync(userId, ct),
            async (text, ct) =>
            {
                var forward = SlackForwardBuilder.NewForward(teamId, channelId, userId, userId);
                // The mention's own blocks render its text, which is already the command; attachments come after it.
                forward.Text = await builder.ToWhatsAppTextAsync(SlackMessageText.Compose(text, null, mention.Attachments, forward.Notes), ct);
                await attachments.AddAsync(forward, mention.Files, ct);
                forward.Reply.ThreadId = threadTs;
                return forward;
            });

        var answer = SlackText.Escape(await commands.ExecuteAsync(invocation, cancellationToken));
        try
        {
            await slack.PostMessageAsync(channelId, answer, threadTs, cancellationToken);
        }
        catch (SlackApiException exception) when (!SlackErrors.IsRetryable(exception.Error))
        {
            // The answer is the outcome of every command but send: it reaches the person privately or is logged as lost.
            var refused = new List<SlackApiException>();
            if (await privately.TellAsync(channelId, userId, threadTs, $"{answer}\n{SlackErrors.Sentence(exception)}", refused, cancellationToken) is null)
            {
                throw new ReplyException("The answer to a mention reached no one: " + string.Join("; ", refused.Prepend(exception).Select(e => $"{e.Method}: {SlackErrors.Describe(e)}")));
            }
        }
    }

    /// <summary>Removes the bot's own mention (<c>&lt;@U…&gt;</c> or <c>&lt;@U…|name&gt;</c>) wherever it is.</summary>
    public static string StripMention(string text, string? botUserId) =>
        string.IsNullOrEmpty(botUserId)
            ? text.Trim()
            : Regex.Replace(text, $@"<@{Regex.Escape(botUserId)}(\|[^>]*)?>", "", RegexOptions.None, TimeSpan.FromSeconds(1)).Trim();
}
