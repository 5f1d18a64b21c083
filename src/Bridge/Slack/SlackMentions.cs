using System.Text.RegularExpressions;
using Bridge.Commands;
using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>
/// "@Bridge send …" (or any command word) in a message: runs like the slash command, answering in that message's thread,
/// which lets people use Bridge inside threads where slash commands cannot be used.
/// </summary>
internal sealed class SlackMentions(
    CommandDispatcher commands,
    Forwarder forwarder,
    SlackForwardBuilder builder,
    SlackAttachments attachments,
    SlackApiClient slack,
    SlackPrivateReplies privately,
    SlackRefusals refusals)
{
    public const string Usage = "@Bridge";

    /// <summary>The command the mention asks for.</summary>
    public static Command CommandOf(SlackEvent mention, string? botUserId)
    {
        var text = SlackText.Command(StripMention(mention.Text ?? "", botUserId));
        // "@Bridge" with only files attached means: send the files.
        return Command.Parse(text.Length == 0 && mention.Files is { Count: > 0 } ? "send" : text);
    }

    /// <param name="dedupeKey">The event's key, recorded with a send's forward so that Slack's retry sends nothing twice.</param>
    public async Task HandleAsync(string teamId, SlackEvent mention, string? botUserId, string dedupeKey, CancellationToken cancellationToken)
    {
        var userId = mention.User!;
        var channelId = mention.Channel!;
        var threadTs = mention.ThreadTs ?? mention.Ts;
        var request = new CommandRequest(new ChannelRef(Platform.Slack, teamId, channelId), userId, Usage, CommandOf(mention, botUserId),
            DedupeKey: dedupeKey);
        if (request.Command.Verb == CommandVerb.Send)
        {
            // Routed before the forward is built: building asks users.info and files.info, which a channel that cannot send must not cost.
            var route = await forwarder.RouteAsync(request.Channel, cancellationToken);
            request = request with { Route = route };
            if (route.Refusal is null)
            {
                var forward = SlackForwardBuilder.NewForward(teamId, channelId, userId, userId);
                // The mention's own blocks render its text, which is already the command; attachments come after it.
                forward.Text = await builder.ToWhatsAppTextAsync(SlackMessageText.Compose(request.Command.Argument, null, mention.Attachments, forward.Notes), cancellationToken);
                await attachments.AddAsync(forward, mention.Files, cancellationToken);
                forward.Reply.ThreadId = threadTs;
                request = request with { Forward = forward };
            }
        }

        var answer = SlackText.Escape(await commands.ExecuteAsync(request, cancellationToken));
        try
        {
            await slack.PostMessageAsync(channelId, answer, threadTs, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The answer is the outcome of every command but send, and nothing retries it: whatever went wrong (a refusal,
            // a rate limit, Slack's own trouble, no answer in time) it goes privately, which is never a second visible post.
            var subject = "a mention in " + LogValue.Clean(channelId);
            string why, error;
            if (exception is SlackApiException api)
            {
                await refusals.RecordAsync(subject, api, cancellationToken);
                (why, error) = (SlackErrors.Sentence(api), SlackErrors.Describe(api));
            }
            else
            {
                (why, error) = ("Slack did not take this answer in the thread, so it comes here.", exception.Message);
            }

            List<string> errors = [$"chat.postMessage: {error}"];
            if (await privately.TellAsync(subject, channelId, userId, threadTs, $"{answer}\n{why}", errors, cancellationToken) is null)
            {
                throw new ReplyException("The answer to a mention reached no one: " + string.Join("; ", errors));
            }
        }
    }

    /// <summary>Removes the bot's own mention (<c>&lt;@U…&gt;</c> or <c>&lt;@U…|name&gt;</c>) wherever it is.</summary>
    public static string StripMention(string text, string? botUserId) =>
        string.IsNullOrEmpty(botUserId)
            ? text.Trim()
            : Regex.Replace(text, $@"<@{Regex.Escape(botUserId)}(\|[^>]*)?>", "", RegexOptions.None, TimeSpan.FromSeconds(1)).Trim();
}
