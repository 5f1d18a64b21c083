using System.Globalization;
using Bridge.Forwarding;
using Microsoft.Extensions.Options;

namespace Bridge.Media;

/// <summary>
/// Decides, when a forward is accepted, how each of its files goes to WhatsApp: as image, video or voice by its MIME
/// type, as a link, or not at all with a note for the reply. No file is dropped without a note.
/// </summary>
internal sealed class MediaPolicy(IOptions<MediaOptions> mediaOptions, IOptions<BridgeOptions> bridgeOptions)
{
    public const string NoPublicBaseUrl =
        "Files cannot be forwarded: Bridge:PublicBaseUrl is not set, so WhatsApp has no address to fetch them from. Ask a Bridge admin to set it.";

    /// <summary>Adds the file to the forward's attachments, or a note to its reply saying why it is not sent.</summary>
    public void Add(Forward forward, string name, string? mimeType, long? size, string sourceUrl)
    {
        if (!CanPublish(forward, name))
        {
            return;
        }

        var mime = ContentTypes.Clean(mimeType);
        var kind = KindOf(mime);
        if (kind is null)
        {
            if (bridgeOptions.Value.UnsupportedMedia == UnsupportedMediaPolicy.Reject)
            {
                Note(forward, $"{name} was not sent: WhatsApp groups cannot receive {mime} files.");
                return;
            }

            kind = MediaKind.Link;
        }

        var limit = mediaOptions.Value.LimitFor(kind.Value);
        if (size > limit)
        {
            Note(forward, TooLarge(name, size.Value, kind.Value, limit));
            return;
        }

        forward.Attachments.Add(new Attachment { Name = name, MimeType = mime, Size = size, SourceUrl = sourceUrl, Kind = kind.Value });
    }

    /// <summary>Adds an image whose type and size are known only once it is fetched (its MIME type stays empty).</summary>
    public void AddImage(Forward forward, string name, string sourceUrl)
    {
        if (CanPublish(forward, name))
        {
            forward.Attachments.Add(new Attachment { Name = name, SourceUrl = sourceUrl, Kind = MediaKind.Image });
        }
    }

    private bool CanPublish(Forward forward, string name)
    {
        if (bridgeOptions.Value.PublicBaseUrl is null)
        {
            Note(forward, $"{name} was not sent. {NoPublicBaseUrl}");
            return false;
        }

        return true;
    }

    /// <summary>The WhatsApp media kind for a MIME type, or null when WhatsApp groups cannot take it as media.</summary>
    private static MediaKind? KindOf(string mimeType) =>
        mimeType.StartsWith("image/", StringComparison.Ordinal) ? MediaKind.Image
        : mimeType.StartsWith("video/", StringComparison.Ordinal) ? MediaKind.Video
        : mimeType.StartsWith("audio/", StringComparison.Ordinal) ? MediaKind.Voice
        : null;

    public static string TooLarge(string name, long? size, MediaKind kind, long limit)
    {
        var what = kind switch
        {
            MediaKind.Image => "images",
            MediaKind.Video => "videos",
            MediaKind.Voice => "audio",
            _ => "files sent as links",
        };
        var actual = size is { } bytes ? $"it is {Format(bytes)}, " : "it is ";
        return $"{name} was not sent: {actual}larger than the {Format(limit)} allowed for {what}.";
    }

    /// <summary>A size as people read it: 16 MB, 4.5 KB, 300 bytes.</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1024 * 1024 => (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        >= 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };

    private static void Note(Forward forward, string note)
    {
        if (!forward.Notes.Contains(note))
        {
            forward.Notes.Add(note);
        }
    }
}
