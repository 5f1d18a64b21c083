using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Bridge.Forwarding;
using Bridge.Storage;
using Microsoft.AspNetCore.StaticFiles;

namespace Bridge.Teams;

/// <summary>Builds forwards from Teams content: HTML to WhatsApp text, the attachments Bridge can fetch, notes for the rest.</summary>
internal static class TeamsForwardBuilder
{
    /// <summary>The MIME type Teams gives pasted images; the real type is known once fetched.</summary>
    public const string InlineImageType = "image/*";
    public const string FileDownloadInfoType = "application/vnd.microsoft.teams.file.download.info";

    private static readonly FileExtensionContentTypeProvider MimeTypes = new();

    public static Forward NewForward(TeamsActivity activity, ChannelRef channel, ReplyTarget reply) => new()
    {
        Platform = Platform.Teams,
        WorkspaceId = channel.WorkspaceId,
        ChannelId = channel.ChannelId,
        UserId = activity.From?.AadObjectId ?? activity.From?.Id ?? "",
        UserName = activity.From?.Name ?? "",
        Reply = reply,
    };

    /// <summary>
    /// Adds the images and files Bridge can fetch. Pasted images appear in the HTML as <c>&lt;img&gt;</c> and, when
    /// Teams sends them, as attachments too; images with no fetchable attachment (Graph hostedContents, which need a
    /// Graph token) are named in a note so the thread reply tells people, never dropped silently.
    /// </summary>
    public static void AddAttachments(Forward forward, IReadOnlyList<TeamsAttachment>? attachments, string? html, string usage)
    {
        var imageAttachments = 0;
        foreach (var attachment in attachments ?? [])
        {
            if (attachment.ContentType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true)
            {
                imageAttachments++;
                var source = attachment.ContentUrl ?? DownloadInfo(attachment)?.DownloadUrl;
                if (Uri.TryCreate(source, UriKind.Absolute, out var url) && TeamsHosts.MayReceiveBotToken(url, forward.Reply.ServiceUrl))
                {
                    forward.Attachments.Add(new Attachment
                    {
                        Name = string.IsNullOrWhiteSpace(attachment.Name) ? $"image{forward.Attachments.Count + 1}" : attachment.Name,
                        MimeType = InlineImageType,
                        SourceUrl = source!,
                        Kind = "image",
                    });
                }
            }
            else if (attachment.ContentType == FileDownloadInfoType && DownloadInfo(attachment) is { DownloadUrl: { Length: > 0 } downloadUrl })
            {
                var name = string.IsNullOrWhiteSpace(attachment.Name) ? "file" : attachment.Name;
                var mimeType = MimeTypes.TryGetContentType(name, out var known) ? known : "application/octet-stream";
                forward.Attachments.Add(new Attachment { Name = name, MimeType = mimeType, SourceUrl = downloadUrl, Kind = KindOf(mimeType) });
            }
        }

        var fetched = forward.Attachments.Count(a => a.MimeType == InlineImageType);
        var missing = Math.Max(ImageSources(html).Count, imageAttachments) - fetched;
        if (missing > 0)
        {
            forward.Notes.Add(missing == 1
                ? $"1 inline image could not be fetched: Teams does not let bots read it. Paste it into a message that mentions {usage} to send it."
                : $"{missing} inline images could not be fetched: Teams does not let bots read them. Paste them into a message that mentions {usage} to send them.");
        }
    }

    /// <summary>How a file is sent to WhatsApp, by its MIME type.</summary>
    public static string KindOf(string mimeType) =>
        mimeType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ? "image"
        : mimeType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) ? "video"
        : mimeType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) ? "voice"
        : "link";

    private static TeamsFileDownloadInfo? DownloadInfo(TeamsAttachment attachment)
    {
        if (attachment.Content is not { ValueKind: JsonValueKind.Object } content)
        {
            return null;
        }

        try
        {
            return content.Deserialize(TeamsJson.Default.TeamsFileDownloadInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Placeholder until Teams/TeamsHtml.cs is merged: switch ToWhatsApp and ImageSources to TeamsHtml then.
    private static readonly HtmlParser Parser = new();

    /// <summary>Minimal HTML to text: the bot's own mention dropped, other mentions as @Name, paragraphs as lines.</summary>
    public static string ToWhatsApp(string html, string? botName)
    {
        var document = Parser.ParseDocument("<body>" + html + "</body>");
        var text = new StringBuilder();
        Append(document.Body!, text, botName);
        return text.ToString().Replace('\u00A0', ' ').Trim();
    }

    /// <summary>The <c>src</c> of each picture in the HTML (emoji excluded).</summary>
    public static IReadOnlyList<string> ImageSources(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return [];
        }

        return Parser.ParseDocument("<body>" + html + "</body>").QuerySelectorAll("img")
            .Where(img => img.GetAttribute("itemtype")?.Contains("Emoji", StringComparison.OrdinalIgnoreCase) != true)
            .Select(img => img.GetAttribute("src") ?? "")
            .ToList();
    }

    private static void Append(INode node, StringBuilder text, string? botName)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText t)
            {
                text.Append(t.Data);
                continue;
            }

            if (child is not IElement element)
            {
                continue;
            }

            var mention = element.LocalName == "at" || element.GetAttribute("itemtype")?.EndsWith("/Mention", StringComparison.Ordinal) == true;
            if (mention)
            {
                if (!string.Equals(element.TextContent.Trim(), botName, StringComparison.OrdinalIgnoreCase))
                {
                    text.Append('@').Append(element.TextContent.Trim());
                }

                continue;
            }

            switch (element.LocalName)
            {
                case "br":
                    text.Append('\n');
                    break;
                case "img":
                    break;
                case "p" or "div":
                    Append(element, text, botName);
                    text.Append('\n');
                    break;
                default:
                    Append(element, text, botName);
                    break;
            }
        }
    }
}
