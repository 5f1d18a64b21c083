using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bridge.Slack;

/// <summary>
/// The whole text of a Slack message as escaped mrkdwn: its <c>text</c>, or the text of its blocks when it has none
/// (https://docs.slack.dev/reference/block-kit/blocks/rich-text-block), then its legacy attachments' pretext, title,
/// text and fields. What cannot be sent as text is named in the notes.
/// </summary>
internal static class SlackMessageText
{
    public static string Compose(string? text, IReadOnlyList<JsonElement>? blocks, IReadOnlyList<SlackLegacyAttachment>? attachments, List<string> notes)
    {
        var parts = new List<string>();
        // With text, the blocks are its rich rendering (Slack's own fallback rule); without, they are the message.
        var body = string.IsNullOrWhiteSpace(text) ? FromBlocks(blocks ?? [], notes) : text;
        if (!string.IsNullOrWhiteSpace(body))
        {
            parts.Add(body.Trim());
        }

        foreach (var block in blocks ?? [])
        {
            if (Kind(block) is "image" or "video" or "file")
            {
                notes.Add($"The message's {Kind(block)} block was not sent: only text and files are forwarded.");
            }
        }

        foreach (var attachment in attachments ?? [])
        {
            var attachmentText = FromAttachment(attachment, notes);
            if (attachmentText.Length > 0)
            {
                parts.Add(attachmentText);
            }

            if (!string.IsNullOrWhiteSpace(attachment.ImageUrl))
            {
                notes.Add($"The image of the attachment \"{attachment.Title ?? attachment.Fallback ?? "untitled"}\" was not sent: only its text is forwarded.");
            }
            else if (attachmentText.Length == 0)
            {
                notes.Add("An attachment of the message was not sent: it has no text Bridge can forward.");
            }
        }

        return string.Join("\n\n", parts);
    }

    /// <summary>
    /// Pretext, title, text and fields, then the blocks when there is no text (as for a message); else the fallback
    /// summary; else, so an attachment is never dropped in silence, its author and footer.
    /// </summary>
    private static string FromAttachment(SlackLegacyAttachment attachment, List<string> notes)
    {
        var lines = new List<string>();
        Add(lines, attachment.Pretext);
        Add(lines, string.IsNullOrWhiteSpace(attachment.Title) ? null
            : string.IsNullOrWhiteSpace(attachment.TitleLink) ? $"*{attachment.Title.Trim()}*" : $"*<{attachment.TitleLink}|{attachment.Title.Trim()}>*");
        Add(lines, attachment.Text);
        foreach (var field in attachment.Fields ?? [])
        {
            Add(lines, string.IsNullOrWhiteSpace(field.Title) ? field.Value : $"*{field.Title.Trim()}*: {field.Value}");
        }

        if (string.IsNullOrWhiteSpace(attachment.Text))
        {
            Add(lines, FromBlocks(attachment.Blocks ?? [], notes));
        }

        if (lines.Count == 0)
        {
            Add(lines, attachment.Fallback);
        }

        if (lines.Count == 0)
        {
            Add(lines, attachment.AuthorName);
            Add(lines, attachment.Footer);
        }

        return string.Join("\n", lines);
    }

    private static string FromBlocks(IReadOnlyList<JsonElement> blocks, List<string> notes)
    {
        var lines = new List<string>();
        foreach (var block in blocks)
        {
            switch (Kind(block))
            {
                case "rich_text":
                    Add(lines, string.Join("\n", Children(block).Select(RichTextBlock)));
                    break;
                case "section":
                    Add(lines, TextObject(block, "text"));
                    foreach (var field in Array(block, "fields"))
                    {
                        Add(lines, TextObject(field));
                    }

                    break;
                case "header":
                    Add(lines, TextObject(block, "text") is { Length: > 0 } header ? $"*{header}*" : null);
                    break;
                case "context":
                    Add(lines, string.Join(" ", Children(block).Select(e => TextObject(e)).Where(t => t.Length > 0)));
                    break;
                case "divider" or "image" or "video" or "file":
                    break;
                default:
                    notes.Add($"The message's {Kind(block)} block was not sent: only text and files are forwarded.");
                    break;
            }
        }

        return string.Join("\n", lines);
    }

    /// <summary>A rich_text block's element: a section, a list, a quote or preformatted text.</summary>
    private static string RichTextBlock(JsonElement element)
    {
        var inline = string.Concat(Children(element).Select(Inline));
        return Kind(element) switch
        {
            "rich_text_list" => string.Join("\n", Children(element).Select((item, i) =>
                (String(element, "style") == "ordered" ? $"{i + 1}. " : "• ") + string.Concat(Children(item).Select(Inline)))),
            "rich_text_quote" => string.Join("\n", inline.Split('\n').Select(line => "&gt; " + line)),
            "rich_text_preformatted" => $"```{inline}```",
            _ => inline,
        };
    }

    /// <summary>
    /// An inline element, as Slack would write it in mrkdwn. Rich text carries raw characters, so text is escaped here
    /// and decoded again with the rest of the message.
    /// </summary>
    private static string Inline(JsonElement element) => Kind(element) switch
    {
        "text" => Styled(SlackText.Escape(String(element, "text") ?? ""), element),
        "link" => String(element, "text") is { Length: > 0 } label
            ? $"<{String(element, "url")}|{SlackText.Escape(label)}>"
            : $"<{String(element, "url")}>",
        "user" => $"<@{String(element, "user_id")}>",
        "channel" => $"<#{String(element, "channel_id")}>",
        "usergroup" => $"<!subteam^{String(element, "usergroup_id")}>",
        "broadcast" => $"<!{String(element, "range")}>",
        "emoji" => Emoji(element),
        "date" => SlackText.Escape(String(element, "fallback") ?? ""),
        _ => "",
    };

    private static string Styled(string text, JsonElement element)
    {
        if (text.Trim().Length == 0 || !element.TryGetProperty("style", out var style) || style.ValueKind != JsonValueKind.Object)
        {
            return text;
        }

        foreach (var (name, mark) in new[] { ("code", "`"), ("bold", "*"), ("italic", "_"), ("strike", "~") })
        {
            if (style.TryGetProperty(name, out var on) && on.ValueKind == JsonValueKind.True)
            {
                text = mark + text + mark;
            }
        }

        return text;
    }

    private static string Emoji(JsonElement element)
    {
        // "unicode" is the code points in hex, joined by '-' (e.g. "1f44d" or "1f1fa-1f1f8").
        var unicode = String(element, "unicode");
        if (unicode is { Length: > 0 } && unicode.Split('-').All(p => int.TryParse(p, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp) && cp is > 0 and <= 0x10FFFF))
        {
            return string.Concat(unicode.Split('-').Select(p => char.ConvertFromUtf32(int.Parse(p, NumberStyles.HexNumber, CultureInfo.InvariantCulture))));
        }

        return $":{String(element, "name")}:";
    }

    /// <summary>A text object's text: mrkdwn as it is, plain_text escaped.</summary>
    private static string TextObject(JsonElement owner, string? property = null)
    {
        var text = property is null ? owner : owner.TryGetProperty(property, out var value) ? value : default;
        if (text.ValueKind != JsonValueKind.Object)
        {
            return "";
        }

        var content = String(text, "text") ?? "";
        return String(text, "type") == "plain_text" ? SlackText.Escape(content) : content;
    }

    private static void Add(List<string> lines, string? line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            lines.Add(line.Trim());
        }
    }

    private static string Kind(JsonElement element) => String(element, "type") ?? "unknown";

    private static IEnumerable<JsonElement> Children(JsonElement element) => Array(element, "elements");

    private static IEnumerable<JsonElement> Array(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : [];

    private static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
