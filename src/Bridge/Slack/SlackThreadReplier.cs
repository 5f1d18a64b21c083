using Bridge.Delivery;
using Bridge.Forwarding;
using Bridge.Storage;

namespace Bridge.Slack;

/// <summary>
/// Posts a forward's visible record in the channel and its outcome in that message's thread. Where Bridge may not
/// post (a private channel it was not invited to), the person who asked is told privately through response_url.
/// </summary>
internal sealed class SlackThreadReplier(SlackApiClient slack) : IThreadReplier
{
    /// <summary>The thread id of a forward whose channel Bridge cannot post in: replies go to response_url instead.</summary>
    private const string ResponseUrlThread = "response_url";

    private const string NotAMemberHint =
        "Bridge is not a member of this channel, so it cannot post here. Invite it with `/invite @Bridge`.";

    public Platform Platform => Platform.Slack;

    public async Task<string> AnnounceAsync(Forward forward, IReadOnlyList<DeliveryJob> jobs, CancellationToken cancellationToken)
    {
        var groups = string.Join(", ", jobs.Select(j => j.GroupName));
        var text = $"📤 <@{forward.UserId}> sent to WhatsApp {(jobs.Count == 1 ? "group" : "groups")} {SlackText.Escape(groups)}:\n{SlackText.Quote(SlackText.Escape(forward.Text))}";
        try
        {
            return await slack.PostMessageAsync(forward.Reply.ConversationId, text, null, cancellationToken);
        }
        catch (SlackApiException exception) when (CannotPostHere(exception) && forward.Reply.ServiceUrl is { } responseUrl)
        {
            await slack.RespondAsync(responseUrl, $"{NotAMemberHint} Your message is being sent; its result will follow here.", cancellationToken);
            return ResponseUrlThread;
        }
    }

    public async Task ReplyAsync(Forward forward, string text, CancellationToken cancellationToken)
    {
        if (forward.Reply.ThreadId == ResponseUrlThread && forward.Reply.ServiceUrl is { } responseUrl)
        {
            await slack.RespondAsync(responseUrl, SlackText.Escape(text), cancellationToken);
            return;
        }

        try
        {
            await slack.PostMessageAsync(forward.Reply.ConversationId, SlackText.Escape(text), forward.Reply.ThreadId, cancellationToken);
        }
        catch (SlackApiException exception) when (CannotPostHere(exception) && forward.Reply.ServiceUrl is { } fallback)
        {
            await slack.RespondAsync(fallback, $"{SlackText.Escape(text)}\n{NotAMemberHint}", cancellationToken);
        }
    }

    private static bool CannotPostHere(SlackApiException exception) =>
        exception.Error is "not_in_channel" or "channel_not_found" or "is_archived";
}
