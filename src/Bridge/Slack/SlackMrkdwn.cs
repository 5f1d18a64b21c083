using System.Text;

namespace Bridge.Slack;

/// <summary>
/// Slack mrkdwn to WhatsApp formatting. The styles (<c>*bold*</c>, <c>_italic_</c>, <c>~strike~</c>, code, quotes) use the
/// same syntax in both and pass through; the <c>&lt;…&gt;</c> tokens become plain text and the three entities are decoded.
/// </summary>
/// <remarks>
/// Tokens are split out of the still-escaped text first and each piece is decoded afterwards: decoding first would
/// turn an escaped literal <c>&amp;lt;urgent&amp;gt;</c> into a bogus token (https://docs.slack.dev/messaging/formatting-message-text#escaping).
/// </remarks>
internal static class SlackMrkdwn
{
    /// <summary>The user ids mentioned as <c>&lt;@U…&gt;</c>, to resolve to names before <see cref="ToWhatsApp"/>.</summary>
    public static IReadOnlyList<string> MentionedUserIds(string mrkdwn) =>
    [
        .. Pieces(mrkdwn)
            .Where(piece => piece.IsToken && piece.Text.StartsWith('@'))
            .Select(piece => Decode(Target(piece.Text[1..])))
            .Where(id => id.Length > 0)
            .Distinct(StringComparer.Ordinal),
    ];

    /// <param name="mrkdwn">Slack message text, entity-escaped as Slack sends it.</param>
    /// <param name="userNames">Display names by user id; a mention of a user not in it keeps its legacy label or its id.</param>
    public static string ToWhatsApp(string mrkdwn, IReadOnlyDictionary<string, string> userNames)
    {
        var text = new StringBuilder(mrkdwn.Length);
        foreach (var (piece, isToken) in Pieces(mrkdwn))
        {
            text.Append(isToken ? Render(piece, userNames) : Decode(piece));
        }

        return text.ToString();
    }

    /// <summary>The text split into plain runs and the contents of <c>&lt;…&gt;</c> tokens (without the brackets).</summary>
    private static IEnumerable<(string Text, bool IsToken)> Pieces(string mrkdwn)
    {
        var start = 0;
        var open = mrkdwn.IndexOf('<');
        while (open >= 0)
        {
            var close = mrkdwn.IndexOf('>', open + 1);
            if (close < 0)
            {
                break;
            }

            var content = mrkdwn[(open + 1)..close];
            var nextOpen = content.IndexOf('<');
            if (nextOpen >= 0)
            {
                // "<a <b>": only the innermost bracket can start the token; the first one is a stray literal.
                open += 1 + nextOpen;
                continue;
            }

            // Slack never puts a line break inside a token, nor sends an empty one: such brackets stay literal.
            if (content.Length == 0 || content.Contains('\n'))
            {
                open = mrkdwn.IndexOf('<', open + 1);
                continue;
            }

            if (open > start)
            {
                yield return (mrkdwn[start..open], false);
            }

            yield return (content, true);
            start = close + 1;
            open = mrkdwn.IndexOf('<', start);
        }

        if (start < mrkdwn.Length)
        {
            yield return (mrkdwn[start..], false);
        }
    }

    private static string Render(string token, IReadOnlyDictionary<string, string> userNames)
    {
        var target = Decode(Target(token));
        var label = Label(token) is { } escaped ? Decode(escaped) : null;
        switch (token[0])
        {
            case '@':
                var userId = target[1..];
                return At(userNames.TryGetValue(userId, out var name) && name.Length > 0 ? name : label ?? userId);
            case '#':
                return "#" + (label ?? target[1..]);
            case '!':
                return Special(target[1..], label);
            default:
                // Slack's links always carry a scheme; anything else is a raw "<" ">" pair from unescaped text.
                return target.Contains(':') && !target.Any(char.IsWhiteSpace) ? Link(target, label) : $"<{Decode(token)}>";
        }
    }

    /// <summary><c>&lt;!here&gt;</c>, <c>&lt;!subteam^S1|@ops&gt;</c>, <c>&lt;!date^…|fallback&gt;</c>.</summary>
    private static string Special(string command, string? label)
    {
        var caret = command.IndexOf('^');
        var name = caret < 0 ? command : command[..caret];
        return name switch
        {
            "here" or "channel" or "everyone" => "@" + name,
            "subteam" => At(label ?? command[(caret + 1)..]),
            "date" => label ?? "",
            _ => label ?? "@" + name,
        };
    }

    private static string Link(string url, string? label)
    {
        if (url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return label ?? url["mailto:".Length..];
        }

        // Slack labels a link typed as "example.com" with exactly that text: show it as typed, WhatsApp links it too.
        if (label is null || label == url || label == WithoutScheme(url))
        {
            return label ?? url;
        }

        return $"{label} ({url})";
    }

    private static string WithoutScheme(string url)
    {
        var separator = url.IndexOf("://", StringComparison.Ordinal);
        return separator < 0 ? url : url[(separator + 3)..];
    }

    private static string At(string name) => name.StartsWith('@') ? name : "@" + name;

    private static string Target(string token)
    {
        var bar = token.IndexOf('|');
        return bar < 0 ? token : token[..bar];
    }

    private static string? Label(string token)
    {
        var bar = token.IndexOf('|');
        return bar < 0 || bar == token.Length - 1 ? null : token[(bar + 1)..];
    }

    /// <summary>Slack escapes only these three; <c>&amp;amp;</c> goes last so <c>&amp;amp;lt;</c> stays a literal <c>&amp;lt;</c>.</summary>
    public static string Decode(string text) =>
        text.Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal);
}
