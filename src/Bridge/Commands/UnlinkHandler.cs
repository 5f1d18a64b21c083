using Bridge.Forwarding;

namespace Bridge.Commands;

/// <summary><c>unlink [group]</c>: removes one of the channel's links (admins).</summary>
internal sealed class UnlinkHandler(ILinkStore store, AdminCheck admins)
{
    public async Task<string> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var argument = request.Command.Argument;
        var links = await store.GetLinksAsync(request.Channel, cancellationToken);
        if (links.Count == 0)
        {
            return "This channel is not linked to any WhatsApp group.";
        }

        if (await admins.RefusalAsync(request, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var chosen = argument.Length == 0
            ? links.Count == 1 ? links : []
            : links.Where(l => l.GroupId.Equals(argument, StringComparison.OrdinalIgnoreCase)
                || l.GroupName.Equals(argument, StringComparison.OrdinalIgnoreCase)).ToList();
        if (chosen.Count != 1)
        {
            var listed = string.Join("\n", links.Select(l => $"• {l.GroupName} ({l.GroupId})"));
            return argument.Length == 0
                ? $"This channel is linked to several groups. Say which: `{request.Usage} unlink <group>`\n{listed}"
                : $"This channel has no link to \"{argument}\". Its links:\n{listed}";
        }

        await store.RemoveLinkAsync(chosen[0].Id, cancellationToken);
        return $"Unlinked this channel from WhatsApp group {chosen[0].GroupName}.";
    }
}
