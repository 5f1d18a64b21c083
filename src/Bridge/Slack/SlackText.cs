using System.Globalization;
using Bridge.Commands;
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
        Commands.Command.Parse(text).Verb == CommandVerb.Send ? text : SlackMrkdwn.Decode(text);

    /// <summary>Plain text quoted for a Slack message: cut to <paramref name="limit"/> characters, escaped, each line quoted.</summary>
    public static string Quote(string text, int limit = 3000) =>
        string.Join("\n", Escape(Cut(text, limit)).Split('\n').Select(line => "> " + line));

    /// <summary>
    /// Plain text cut to at most <paramref name="limit"/> characters and an ellipsis. It cuts between text elements, so
    /// no surrogate pair or emoji sequence is split; cut before escaping, so no <c>&amp;amp;</c> is split either.
    /// </summary>
    public static string Cut(string text, int limit)
    {
        if (text.Length <= limit)
        {
            return text;
        }

        var end = 0;
        while (end < text.Length && end + StringInfo.GetNextTextElementLength(text, end) <= limit)
        {
            end += StringInfo.GetNextTextElementLength(text, end);
        }

        return text[..end] + "…";
    }
}
