using Bridge.Delivery;
using Bridge.Forwarding;
using Bridge.Storage;

namespace Bridge.Slack;

/// <summary>Posts a forward's visible record in the channel and its outcome in that message's thread.</summary>
internal sealed class SlackThreadReplier(SlackApiClient slack) : IThreadReplier
{
    public Platform Platform => Platform.Slack;

    public Task<string> AnnounceAsync(Forward forward, IReadOnlyList<DeliveryJob> jobs, CancellationToken cancellationToken)
    {
        var groups = string.Join(", ", jobs.Select(j => j.GroupName));
        var text = $"📤 <@{forward.UserId}> sent to WhatsApp {(jobs.Count == 1 ? "group" : "groups")} {SlackText.Escape(groups)}:\n{SlackText.Quote(SlackText.Escape(forward.Text))}";
        return slack.PostMessageAsync(forward.Reply.ConversationId, text, null, cancellationToken);
    }

    public Task ReplyAsync(Forward forward, string text, CancellationToken cancellationToken) =>
        slack.PostMessageAsync(forward.Reply.ConversationId, SlackText.Escape(text), forward.Reply.ThreadId, cancellationToken);
}
