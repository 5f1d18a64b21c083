using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Bridge.Teams;

/// <summary>
/// Teams message HTML (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages) to WhatsApp text: bold, italic, strike and code become WhatsApp's markers,
/// links <c>label (url)</c>, mentions <c>@Name</c>, paragraphs and line breaks new lines; images are left to the media path.
/// </summary>
internal static class TeamsHtml
{
    private const string MentionType = "http://schema.skype.com/Mention";
    private const string EmojiType = "http://schema.skype.com/Emoji";

    /// <summary>
    /// Elements nested deeper than this are written as their plain text: the writer recurses once per element, and deep
    /// nesting would otherwise overflow the stack, which ends the process (AngleSharp nests at most 512 levels by default,
    /// an option the writer does not rely on).
    /// </summary>
    internal const int MaxDepth = 64;

    /// <summary>
    /// HTML tree building checks the open elements at every tag, so unclosed nesting costs time quadratic in the tags
    /// (100,000 nested <c>&lt;div&gt;</c> take AngleSharp over 30 s, 5,000 a fraction of a second). Messages people
    /// write in Teams have far fewer tags.
    /// </summary>
    internal const int MaxTags = 5_000;

    /// <summary>Whether the HTML has too many tags to parse (every tag starts with <c>&lt;</c>, text has it escaped).</summary>
    public static bool IsTooComplex(string html) => html.AsSpan().Count('<') > MaxTags;

    /// <param name="html">A message body, <c>attachments[text/html]</c> content or <c>activity.text</c>.</param>
    /// <param name="droppedMentions">
    /// The numbers of the mentions to leave out (the bot's own: it addresses the bot and is not part of the message). A
    /// mention's number is its <c>itemid</c> (<c>&lt;span&gt;</c>) or <c>id</c> (<c>&lt;at&gt;</c>), which Teams numbers
    /// like the mention entities, else its position among the mentions.
    /// </param>
    public static string ToWhatsApp(string html, IReadOnlySet<int>? droppedMentions = null)
    {
        if (IsTooComplex(html))
        {
            // Callers fall back before this; the check keeps the parser's cost bounded for any caller.
            return "…";
        }

        var root = Parse(html);
        var writer = new Writer(DroppedMentions(root, droppedMentions ?? new HashSet<int>()), 0);
        writer.Children(root, "");
        return writer.Text.ToString().Trim();
    }

    /// <summary>Every inline image's <c>src</c>, in order (emoji drawn as images are text, not images).</summary>
    public static IReadOnlyList<string> ImageSources(string html) => IsTooComplex(html) ? [] :
    [
        .. Parse(html).QuerySelectorAll("img")
            .Where(image => !IsEmoji(image))
            .Select(image => image.GetAttribute("src")?.Trim())
            .OfType<string>()
            .Where(source => source.Length > 0),
    ];

    private static IElement Parse(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        return document.Body ?? document.DocumentElement;
    }

    private static HashSet<IElement> DroppedMentions(IElement root, IReadOnlySet<int> numbers)
    {
        var dropped = new HashSet<IElement>();
        if (numbers.Count == 0)
        {
            return dropped;
        }

        // GetDescendants walks the tree without recursion, in document order.
        var position = 0;
        foreach (var mention in root.GetDescendants().OfType<IElement>().Where(IsMention))
        {
            var number = int.TryParse(mention.GetAttribute(mention.LocalName == "at" ? "id" : "itemid"), out var id) ? id : position;
            position++;
            if (numbers.Contains(number))
            {
                dropped.Add(mention);
            }
        }

        return dropped;
    }

    private static bool IsEmoji(IElement element) =>
        string.Equals(element.GetAttribute("itemtype"), EmojiType, StringComparison.OrdinalIgnoreCase);

    private static bool IsMention(IElement element) =>
        element.LocalName == "at"
        || (element.LocalName == "span"
            && string.Equals(element.GetAttribute("itemtype"), MentionType, StringComparison.OrdinalIgnoreCase));

    /// <summary>Text as laid out in a code block: whitespace kept, <c>&lt;br&gt;</c> as a new line, markup ignored.</summary>
    private static string CodeText(INode node)
    {
        var text = new StringBuilder();
        foreach (var descendant in node.GetDescendants())
        {
            if (descendant is IText piece)
            {
                text.Append(piece.Data.Replace('\u00A0', ' '));
            }
            else if (descendant is IElement { LocalName: "br" })
            {
                text.Append('\n');
            }
        }

        return text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static string CollapseWhitespace(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// Writes text with HTML's whitespace rules: whitespace runs collapse to one space, line breaks requested by blocks
    /// win over spaces, at most one blank line in a row, nothing before the first or after the last word.
    /// </summary>
    private sealed class Writer(IReadOnlySet<IElement> droppedMentions, int depth)
    {
        private int _newlines;
        private bool _space;
        private int _leadingNewlines;
        private bool _leadingSpace;

        public StringBuilder Text { get; } = new();

        /// <param name="styles">The markers already open around this node, so a nested <c>&lt;b&gt;</c> is not bolded twice.</param>
        public void Children(INode parent, string styles)
        {
            depth++;
            foreach (var child in parent.ChildNodes)
            {
                Node(child, styles);
            }

            depth--;
        }

        private void Node(INode node, string styles)
        {
            if (node is IText text)
            {
                WriteText(text.Data);
                return;
            }

            if (node is not IElement element)
            {
                return;
            }

            if (depth > MaxDepth)
            {
                // TextContent collects the text without recursion.
                WriteText(element.TextContent);
                return;
            }

            switch (element.LocalName)
            {
                case "b" or "strong":
                    Wrap(element, styles, "*");
                    break;
                case "i" or "em":
                    Wrap(element, styles, "_");
                    break;
                case "s" or "strike" or "del":
                    Wrap(element, styles, "~");
                    break;
                case "code":
                    var code = CollapseWhitespace(CodeText(element));
                    if (code.Length > 0)
                    {
                        Write($"`{code}`");
                    }

                    break;
                case "pre" or "codeblock":
                    CodeBlock(element);
                    break;
                case "a":
                    Link(element, styles);
                    break;
                case "br":
                    _newlines++;
                    break;
                case "img":
                    // Pictures travel as media; an emoji drawn as a picture is text.
                    if (IsEmoji(element) && element.GetAttribute("alt") is { Length: > 0 } alt)
                    {
                        Write(alt);
                    }

                    break;
                case "emoji":
                    if (element.GetAttribute("alt") is { Length: > 0 } emoji)
                    {
                        Write(emoji);
                    }
                    else
                    {
                        Children(element, styles);
                    }

                    break;
                case "li":
                    ListItem(element, styles);
                    break;
                case "p" or "div" or "ul" or "ol" or "blockquote" or "table" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                    Break(2);
                    Children(element, styles);
                    Break(2);
                    break;
                case "tr":
                    Break(1);
                    Children(element, styles);
                    Break(1);
                    break;
                case "td" or "th":
                    _space = true;
                    Children(element, styles);
                    _space = true;
                    break;
                case "script" or "style" or "template" or "head" or "title":
                    break;
                default:
                    if (IsMention(element))
                    {
                        Mention(element);
                    }
                    else
                    {
                        Children(element, styles);
                    }

                    break;
            }
        }

        private void Mention(IElement element)
        {
            var name = CollapseWhitespace(element.TextContent);
            if (name.Length > 0 && !droppedMentions.Contains(element))
            {
                Write("@" + name);
            }
        }

        private void Wrap(IElement element, string styles, string marker)
        {
            if (styles.Contains(marker, StringComparison.Ordinal))
            {
                Children(element, styles);
                return;
            }

            var inner = new Writer(droppedMentions, depth);
            inner.Children(element, styles + marker);
            Embed(inner, text => marker + text + marker);
        }

        private void Link(IElement element, string styles)
        {
            var inner = new Writer(droppedMentions, depth);
            inner.Children(element, styles);
            var url = element.GetAttribute("href")?.Trim();
            if (string.IsNullOrEmpty(url))
            {
                Embed(inner, text => text);
            }
            else if (inner.Text.Length == 0)
            {
                Write(url);
            }
            else
            {
                Embed(inner, text => text == url || "mailto:" + text == url ? text : $"{text} ({url})");
            }
        }

        private void CodeBlock(IElement element)
        {
            // HTML drops the line break right after <pre>; trailing blank lines are layout, not code.
            var code = CodeText(element).TrimStart('\n').TrimEnd();
            Break(2);
            if (code.Trim().Length > 0)
            {
                Write($"```{code}```");
            }

            Break(2);
        }

        private void ListItem(IElement element, string styles)
        {
            Break(1);
            var bullet = "- ";
            if (element.ParentElement is { LocalName: "ol" } list)
            {
                var number = list.Children.Where(child => child.LocalName == "li").TakeWhile(child => child != element).Count() + 1;
                bullet = $"{number}. ";
            }

            var inner = new Writer(droppedMentions, depth);
            inner.Children(element, styles);
            Embed(inner, text => bullet + text);
            Break(1);
        }

        /// <summary>Writes what an inner writer produced, formatted, keeping its surrounding whitespace outside the markers.</summary>
        private void Embed(Writer inner, Func<string, string> format)
        {
            if (inner.Text.Length == 0)
            {
                _space |= inner._space;
                Break(inner._newlines);
                return;
            }

            _space |= inner._leadingSpace;
            Break(inner._leadingNewlines);
            Write(format(inner.Text.ToString()));
            _space = inner._space;
            Break(inner._newlines);
        }

        private void WriteText(string text)
        {
            var word = new StringBuilder();
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    if (word.Length > 0)
                    {
                        Write(word.ToString());
                        word.Clear();
                    }

                    _space = true;
                }
                else
                {
                    word.Append(c);
                }
            }

            if (word.Length > 0)
            {
                Write(word.ToString());
            }
        }

        private void Break(int lines) => _newlines = Math.Max(_newlines, lines);

        private void Write(string content)
        {
            if (Text.Length == 0)
            {
                _leadingSpace = _space;
                _leadingNewlines = _newlines;
            }
            else if (_newlines > 0)
            {
                Text.Append('\n', Math.Min(_newlines, 2));
            }
            else if (_space)
            {
                Text.Append(' ');
            }

            _newlines = 0;
            _space = false;
            Text.Append(content);
        }
    }
}
