using Bridge.Forwarding;
using Bridge.WhatsApp;
using Microsoft.Extensions.Options;

namespace Bridge.Commands;

/// <summary><c>link &lt;group name or chat_id&gt;</c>: links the channel to a WhatsApp group (admins).</summary>
internal sealed class LinkHandler(ILinkStore store, TalkNTalkClient whatsApp, AdminCheck admins, TimeProvider time, IOptions<WhatsAppOptions> whatsAppOptions)
{
    public async Task<string> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var argument = request.Command.Argument;
        var usage = request.Usage;
        if (argument.Length == 0)
        {
            return $"Say which group: `{usage} link <group name or chat_id>`. `{usage} groups` lists them.";
        }

        if (await admins.RefusalAsync(request, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var sessionId = whatsAppOptions.Value.SessionId!;
        var groups = await whatsApp.ListGroupsAsync(sessionId, cancellationToken);
        var match = GroupMatcher.Find(groups, argument);
        if (match.Group is not { } group)
        {
            return match.Candidates.Count == 0
                ? $"No WhatsApp group is called \"{argument}\". `{usage} groups` lists the groups Bridge can send to (a group shows up once it is synced in the TalkNTalk dashboard)."
                : $"\"{argument}\" {(match.Ambiguous ? "matches several groups" : "is not an exact group name")}. Did you mean:\n{GroupLines.Format(match.Candidates)}\nRun `{usage} link <chat_id>` with the one you want.";
        }

        var link = new ChannelLink
        {
            Platform = request.Channel.Platform,
            WorkspaceId = request.Channel.WorkspaceId,
            ChannelId = request.Channel.ChannelId,
            ChannelName = request.ChannelName,
            SessionId = sessionId,
            GroupId = group.ChatId,
            GroupName = group.Name ?? group.ChatId,
            CreatedBy = request.UserId,
            CreatedAt = time.GetUtcNow(),
        };
        return await store.AddLinkAsync(link, cancellationToken)
            ? $"Linked this channel to WhatsApp group {link.GroupName} ({link.GroupId}). Messages sent with `{usage} <text>` now go there."
            : $"This channel is already linked to WhatsApp group {link.GroupName}.";
    }
}
