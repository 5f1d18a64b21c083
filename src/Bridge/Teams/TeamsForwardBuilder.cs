using System.Text.Json;
using Bridge.Forwarding;
using Bridge.Media;
using Microsoft.AspNetCore.StaticFiles;

namespace Bridge.Teams;

/// <summary>Builds forwards from Teams content: the attachments Bridge can fetch, and notes for the ones it cannot.</summary>
internal sealed class TeamsForwardBuilder(MediaPolicy media, TeamsServiceHosts serviceHosts, TeamsFileHosts fileHosts)
{
    public const string FileDownloadInfoType = "application/vnd.microsoft.teams.file.download.info";
    /// <summary>A file shared in a channel: a link into SharePoint, which needs Graph permissions Bridge does not have.</summary>
    public const string ReferenceType = "reference";

    private static readonly FileExtensionContentTypeProvider MimeTypes = new();

    public static Forward NewForward(TeamsActivity activity, ChannelRef channel, ReplyTarget reply) => new()
    {
        Platform = Platform.Teams,
        WorkspaceId = channel.WorkspaceId,
        ChannelId = channel.ChannelId,
        UserId = activity.From?.AadObjectId ?? activity.From?.Id ?? "",
        UserName = activity.From?.Name ?? "",
        ChannelName = activity.ChannelName,
        Reply = reply,
    };

    /// <summary>
    /// Adds the images and files Bridge can fetch (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4). A pasted image shows in the HTML as an
    /// <c>&lt;img&gt;</c> and, when Teams sends it, as an <c>image/*</c> attachment too; images without a fetchable
    /// attachment (Graph hostedContents, which need a Graph token) and every other attachment Bridge cannot forward
    /// (channel files, cards) are named in a note, never dropped silently.
    /// </summary>
    public void AddAttachments(Forward forward, IReadOnlyList<TeamsAttachment>? attachments, string? html, string usage)
    {
        var images = 0;
        var fetchableImages = 0;
        foreach (var attachment in attachments ?? [])
        {
            if (attachment.ContentType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true)
            {
                images++;
                var source = attachment.ContentUrl ?? DownloadInfo(attachment)?.DownloadUrl;
                if (Uri.TryCreate(source, UriKind.Absolute, out var url) && serviceHosts.IsAllowed(url))
                {
                    fetchableImages++;
                    var name = string.IsNullOrWhiteSpace(attachment.Name) ? $"image{fetchableImages}" : attachment.Name;
                    // Teams types pasted images only "image/*": the download says which type they are.
                    media.AddImage(forward, name, source!);
                }
            }
            else if (attachment.ContentType == FileDownloadInfoType && DownloadInfo(attachment) is { DownloadUrl: { Length: > 0 } downloadUrl })
            {
                var name = string.IsNullOrWhiteSpace(attachment.Name) ? "file" : attachment.Name;
                if (Uri.TryCreate(downloadUrl, UriKind.Absolute, out var url) && fileHosts.IsAllowed(url))
                {
                    media.Add(forward, name, MimeTypes.TryGetContentType(name, out var known) ? known : null, null, downloadUrl);
                }
                else
                {
                    forward.Notes.Add(TeamsFileHosts.NotOnFileHost(name));
                }
            }
            else if (attachment.ContentType != "text/html")
            {
                // The HTML copy is the message itself; anything else that is not forwarded is named in the reply.
                forward.Notes.Add(NotForwarded(attachment));
            }
        }

        var missing = Math.Max(html is null ? 0 : TeamsHtml.ImageSources(html).Count, images) - fetchableImages;
        if (missing > 0)
        {
            forward.Notes.Add(missing == 1
                ? $"1 inline image could not be fetched: Teams does not let bots read it. Paste it into a message that mentions {usage} to send it."
                : $"{missing} inline images could not be fetched: Teams does not let bots read them. Paste them into a message that mentions {usage} to send them.");
        }
    }

    private static string NotForwarded(TeamsAttachment attachment)
    {
        var name = string.IsNullOrWhiteSpace(attachment.Name) ? "An attachment" : attachment.Name;
        return attachment.ContentType switch
        {
            ReferenceType => $"{name} could not be forwarded: files shared in Teams channels are stored in SharePoint, which Bridge cannot read.",
            FileDownloadInfoType => $"{name} could not be forwarded: Teams gave no download link for it.",
            _ => $"{name} could not be forwarded: Bridge cannot send {(string.IsNullOrWhiteSpace(attachment.ContentType) ? "this kind of" : attachment.ContentType)} attachments.",
        };
    }

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
}
