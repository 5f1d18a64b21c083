namespace Bridge.Commands;

/// <summary><c>help</c>: what Bridge does and its commands, as typed on the platform.</summary>
internal static class HelpHandler
{
    public static string Handle(string usage) =>
        $"""
        Bridge sends messages from this channel to its linked WhatsApp groups.
        • `{usage} <text>` or `{usage} send <text>`: send the text to every linked group
        • `{usage} at 09:00 <text>`, `{usage} at 2026-12-24 08:30 <text>` or `{usage} in 2h <text>`: send it later (in your time zone)
        • `{usage} scheduled`: this channel's scheduled messages; `{usage} cancel <id>` cancels one (its sender or an admin)
        • `{usage} status`: this channel's links and whether each WhatsApp phone is connected
        • `{usage} groups [filter]`: the WhatsApp groups Bridge can send to
        • `{usage} link <group name or chat_id>`: link this channel to a group (admins)
        • `{usage} unlink [group]`: remove a link (admins)
        • `{usage} help`: this help
        """;
}
