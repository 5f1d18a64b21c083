using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>Escapes text for Slack messages: &amp;, &lt; and &gt; are Slack's control characters.</summary>
internal static class SlackText
{
    public static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>
    /// A command as typed in Slack, escaped by Slack. A send keeps its mrkdwn (it becomes WhatsApp text later); every
    /// other command's words and arguments (a group name to link) are plain text, so they are decoded here.
    /// </summary>
    public static string Command(string text) =>
        Forwarding.Command.Parse(text).Verb == CommandVerb.Send ? text : SlackMrkdwn.Decode(text);

    public static string Quote(string text, int limit = 3000)
    {
        var shown = text.Length > limit ? text[..limit] + "…" : text;
        return string.Join("\n", shown.Split('\n').Select(line => "> " + line));
    }
}
