using Bridge.WhatsApp;
using Microsoft.Extensions.Options;

namespace Bridge.Commands;

/// <summary><c>groups [filter]</c>: the WhatsApp groups Bridge can send to.</summary>
internal sealed class GroupsHandler(TalkNTalkClient whatsApp, IOptions<WhatsAppOptions> whatsAppOptions)
{
    private const int MaxListed = 30;

    public async Task<string> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var filter = request.Command.Argument;
        var groups = await whatsApp.ListGroupsAsync(whatsAppOptions.Value.SessionId!, cancellationToken);
        var shown = groups
            .Where(g => filter.Length == 0 || (g.Name ?? "").Contains(filter, StringComparison.OrdinalIgnoreCase) || g.ChatId.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (shown.Count == 0)
        {
            return filter.Length == 0
                ? "The WhatsApp phone has no groups yet. Groups show up once they are synced in the TalkNTalk dashboard."
                : $"No WhatsApp group matches \"{filter}\".";
        }

        var more = shown.Count > MaxListed ? $"\n…and {shown.Count - MaxListed} more; add a filter to narrow the list." : "";
        return $"WhatsApp groups ({shown.Count}):\n{GroupLines.Format(shown.Take(MaxListed).ToList())}{more}";
    }
}
