using Bridge.Forwarding;

namespace Bridge.Teams;

/// <summary>
/// Replies a forward's outcome in the Teams thread, or the chat, it came from. Teams requests always come from a
/// message, so there is no visible record to post first: this replier does not announce.
/// </summary>
internal sealed class TeamsThreadReplier(TeamsConnectorClient connector) : IThreadReplier
{
    public Platform Platform => Platform.Teams;

    public async Task<ReplyRoute> ReplyAsync(Forward forward, string text, bool lastAttempt, CancellationToken cancellationToken)
    {
        await connector.PostAsync(forward.Reply, text, cancellationToken);
        // Only channels have threads; group and personal chats get the reply in the chat.
        return forward.Reply.ThreadId is null ? ReplyRoute.Chat : ReplyRoute.Thread;
    }
}
