using Bridge.Forwarding;

namespace Bridge.Commands;

/// <summary><c>send</c> (or text that starts with no command word): accepts the forward the adapter built on its route.</summary>
internal sealed class SendHandler(Forwarder forwarder)
{
    public async Task<string> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var route = request.Route ?? throw new ArgumentException("A send command carries its route.", nameof(request));
        if (route.Refusal is { } refusal)
        {
            return refusal.Describe(request.Usage, request.RepliesInThread);
        }

        var forward = request.Forward ?? throw new ArgumentException("A send command on an open route carries its forward.", nameof(request));
        // A message may be files alone (a Teams mention with a pasted image): only nothing at all is refused.
        if (string.IsNullOrWhiteSpace(forward.Text) && forward.Attachments.Count == 0)
        {
            return $"There is nothing to send. Type `{request.Usage} <text>`.";
        }

        return (await forwarder.AcceptAsync(forward, route, request.DedupeKey, cancellationToken)).Describe(request.Usage, request.RepliesInThread);
    }
}
