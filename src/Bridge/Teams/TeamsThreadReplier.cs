using Bridge.Forwarding;

namespace Bridge.Teams;

/// <summary>
/// Replies a forward's outcome in the Teams thread, or the chat, it came from. Teams requests always come from a
/// message, so there is no visible record to post first: this replier does not announce.
/// </summary>
internal sealed class TeamsThreadReplier(TeamsConnectorClient connector) : IThreadReplier
{
    public Platform Platform => Platform.Teams;

    public async Task<ReplyRoute> ReplyAsync(Forward forward, string text, IReadOnlyList<DeliveryJob> jobs, bool lastAttempt, CancellationToken cancellationToken)
    {
        var offered = SendAgain.Offered(jobs);
        await connector.PostAsync(forward.Reply, text, cancellationToken,
            card: offered.Count == 0 ? null : TeamsSendAgainActions.OutcomeCard(text, SendAgain.Value(forward.Id, offered)));
        // Only channels have threads; group and personal chats get the reply in the chat.
        return forward.Reply.ThreadId is null ? ReplyRoute.Chat : ReplyRoute.Thread;
    }
}
