using Bridge.WhatsApp;

namespace Bridge.Commands;

internal static class GroupLines
{
    /// <summary>One bullet per group: its name and its chat_id, which link accepts too.</summary>
    public static string Format(IReadOnlyList<Group> groups) =>
        string.Join("\n", groups.Select(g => $"• {g.Name} ({g.ChatId})"));
}
