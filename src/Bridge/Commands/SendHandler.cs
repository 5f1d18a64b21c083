using Bridge.Forwarding;

namespace Bridge.Commands;

/// <summary><c>send</c> (or text that starts with no command word): accepts the forward the adapter built.</summary>
internal sealed class SendHandler(ILinkStore store, Forwarder forwarder)
{
    public async Task<string> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if ((await store.GetLinksAsync(request.Channel, cancellationToken)).Count == 0)
        {
            return ForwardOutcome.NotLinkedSentence(request.Usage);
        }

        var forward = request.Forward ?? throw new ArgumentException("A send command carries its forward.", nameof(request));
        // A message may be files alone (a Teams mention with a pasted image): only nothing at all is refused.
        if (string.IsNullOrWhiteSpace(forward.Text) && forward.Attachments.Count == 0)
        {
            return $"There is nothing to send. Type `{request.Usage} <text>`.";
        }

        return (await forwarder.AcceptAsync(forward, request.DedupeKey, cancellationToken)).Describe(request.Usage, request.RepliesInThread);
    }
}
