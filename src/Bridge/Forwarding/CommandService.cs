using System.Text;
using Bridge.WhatsApp;
using Microsoft.Extensions.Options;

namespace Bridge.Forwarding;

/// <summary>Carries out the commands (send, link, unlink, groups, status, help) and answers each with text.</summary>
internal sealed class CommandService(
    ILinkStore store,
    Forwarder forwarder,
    TalkNTalkClient whatsApp,
    TimeProvider time,
    IOptions<WhatsAppOptions> whatsAppOptions)
{
    private const int MaxListed = 30;

    public async Task<string> ExecuteAsync(CommandInvocation invocation, CancellationToken cancellationToken)
    {
        var command = Command.Parse(invocation.Text);
        if (command.Verb != CommandVerb.Help && !whatsAppOptions.Value.IsConfigured)
        {
            return NotConfigured;
        }

        try
        {
            return command.Verb switch
            {
                CommandVerb.Send => await SendAsync(invocation, command.Argument, cancellationToken),
                CommandVerb.Link => await LinkAsync(invocation, command.Argument, cancellationToken),
                CommandVerb.Unlink => await UnlinkAsync(invocation, command.Argument, cancellationToken),
                CommandVerb.Groups => await GroupsAsync(command.Argument, cancellationToken),
                CommandVerb.Status => await StatusAsync(invocation, cancellationToken),
                _ => Help(invocation.Usage),
            };
        }
        catch (TalkNTalkException exception)
        {
            return TalkNTalkSentences.ForLookup(exception);
        }
    }

    public static string Help(string usage) =>
        $"""
        Bridge sends messages from this channel to its linked WhatsApp groups.
        • `{usage} <text>` or `{usage} send <text>`: send the text to every linked group
        • `{usage} status`: this channel's links and whether each WhatsApp phone is connected
        • `{usage} groups [filter]`: the WhatsApp groups Bridge can send to
        • `{usage} link <group name or chat_id>`: link this channel to a group (admins)
        • `{usage} unlink [group]`: remove a link (admins)
        • `{usage} help`: this help
        """;

    public static string NotLinked(string usage) =>
        $"This channel is not linked to a WhatsApp group yet. A Bridge admin can link it with `{usage} link <group name or chat_id>` (see `{usage} groups` for the names).";

    public const string NotConfigured =
        "WhatsApp is not configured on this Bridge. An admin must set WhatsApp:ApiKey and WhatsApp:SessionId.";

    public static string DescribeOutcome(ForwardOutcome outcome, string usage, bool repliesInThread = true) => outcome switch
    {
        ForwardOutcome.Accepted accepted =>
            $"Sending to WhatsApp group{(accepted.Groups.Count == 1 ? "" : "s")} {string.Join(", ", accepted.Groups.Select(g => g.GroupName))}. The result will be posted {(repliesInThread ? "in the thread" : "here")}.",
        ForwardOutcome.Duplicate duplicate =>
            "This message was already sent to WhatsApp.\n" + string.Join("\n", duplicate.Jobs.Select(OutcomeText.Line)),
        ForwardOutcome.NotLinked => NotLinked(usage),
        _ => NotConfigured,
    };

    private async Task<string> SendAsync(CommandInvocation invocation, string text, CancellationToken cancellationToken)
    {
        if ((await store.GetLinksAsync(invocation.Channel, cancellationToken)).Count == 0)
        {
            return NotLinked(invocation.Usage);
        }

        // A message may be files alone (a Teams mention with a pasted image): only nothing at all is refused.
        var forward = await invocation.BuildForwardAsync(text, cancellationToken);
        if (string.IsNullOrWhiteSpace(forward.Text) && forward.Attachments.Count == 0)
        {
            return $"There is nothing to send. Type `{invocation.Usage} <text>`.";
        }

        return DescribeOutcome(await forwarder.AcceptAsync(forward, invocation.DedupeKey, cancellationToken), invocation.Usage, invocation.RepliesInThread);
    }

    private async Task<string> LinkAsync(CommandInvocation invocation, string argument, CancellationToken cancellationToken)
    {
        if (argument.Length == 0)
        {
            return $"Say which group: `{invocation.Usage} link <group name or chat_id>`. `{invocation.Usage} groups` lists them.";
        }

        if (await CheckAdminAsync(invocation, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var sessionId = whatsAppOptions.Value.SessionId!;
        var groups = await whatsApp.ListGroupsAsync(sessionId, cancellationToken);
        var match = GroupMatcher.Find(groups, argument);
        if (match.Group is not { } group)
        {
            return match.Candidates.Count == 0
                ? $"No WhatsApp group is called \"{argument}\". `{invocation.Usage} groups` lists the groups Bridge can send to (a group shows up once it is synced in the TalkNTalk dashboard)."
                : $"\"{argument}\" {(match.Ambiguous ? "matches several groups" : "is not an exact group name")}. Did you mean:\n{FormatGroups(match.Candidates)}\nRun `{invocation.Usage} link <chat_id>` with the one you want.";
        }

        var link = new ChannelLink
        {
            Platform = invocation.Channel.Platform,
            WorkspaceId = invocation.Channel.WorkspaceId,
            ChannelId = invocation.Channel.ChannelId,
            SessionId = sessionId,
            GroupId = group.ChatId,
            GroupName = group.Name ?? group.ChatId,
            CreatedBy = invocation.UserId,
            CreatedAt = time.GetUtcNow(),
        };
        return await store.AddLinkAsync(link, cancellationToken)
            ? $"Linked this channel to WhatsApp group {link.GroupName} ({link.GroupId}). Messages sent with `{invocation.Usage} <text>` now go there."
            : $"This channel is already linked to WhatsApp group {link.GroupName}.";
    }

    private async Task<string> UnlinkAsync(CommandInvocation invocation, string argument, CancellationToken cancellationToken)
    {
        var links = await store.GetLinksAsync(invocation.Channel, cancellationToken);
        if (links.Count == 0)
        {
            return "This channel is not linked to any WhatsApp group.";
        }

        if (await CheckAdminAsync(invocation, cancellationToken) is { } refusal)
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
                ? $"This channel is linked to several groups. Say which: `{invocation.Usage} unlink <group>`\n{listed}"
                : $"This channel has no link to \"{argument}\". Its links:\n{listed}";
        }

        await store.RemoveLinkAsync(chosen[0].Id, cancellationToken);
        return $"Unlinked this channel from WhatsApp group {chosen[0].GroupName}.";
    }

    /// <summary>Null when the user is an admin; otherwise the sentence that refuses.</summary>
    private static async Task<string?> CheckAdminAsync(CommandInvocation invocation, CancellationToken cancellationToken)
    {
        try
        {
            return await invocation.IsAdminAsync(cancellationToken)
                ? null
                : "Only Bridge admins can link and unlink channels. Ask an admin to run this command.";
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // e.g. users.info without the users:read scope: say so rather than fail the command.
            return $"Bridge could not check whether you are an admin ({exception.Message}), so nothing was changed. "
                + "Ask an admin to list the admins in Admin:SlackUserIds / Admin:TeamsUserIds, or to grant the users:read scope.";
        }
    }

    private async Task<string> GroupsAsync(string filter, CancellationToken cancellationToken)
    {
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
        return $"WhatsApp groups ({shown.Count}):\n{FormatGroups(shown.Take(MaxListed).ToList())}{more}";
    }

    private async Task<string> StatusAsync(CommandInvocation invocation, CancellationToken cancellationToken)
    {
        var links = await store.GetLinksAsync(invocation.Channel, cancellationToken);
        if (links.Count == 0)
        {
            return NotLinked(invocation.Usage);
        }

        var phones = await whatsApp.ListPhonesAsync(cancellationToken);
        var text = new StringBuilder("This channel sends to:\n");
        foreach (var link in links)
        {
            var phone = phones.FirstOrDefault(p => p.ChatId == link.SessionId);
            var state = phone switch
            {
                null => "⚠️ its phone is not in the organisation any more",
                { IsOpen: true } => "✅ phone connected (open)",
                _ => $"⚠️ phone not connected ({phone.Status}): reconnect it in the TalkNTalk dashboard",
            };
            text.Append($"• {link.GroupName} ({link.GroupId}): {state}\n");
        }

        return text.ToString().TrimEnd();
    }

    private static string FormatGroups(IReadOnlyList<Group> groups) =>
        string.Join("\n", groups.Select(g => $"• {g.Name} ({g.ChatId})"));
}
