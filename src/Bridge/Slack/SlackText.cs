namespace Bridge.Slack;

/// <summary>Escapes text for Slack messages: &amp;, &lt; and &gt; are Slack's control characters.</summary>
internal static class SlackText
{
    public static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public static string Quote(string text, int limit = 3000)
    {
        var shown = text.Length > limit ? text[..limit] + "…" : text;
        return string.Join("\n", shown.Split('\n').Select(line => "> " + line));
    }
}
