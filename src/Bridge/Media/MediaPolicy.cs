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
        if (bridgeOptions.Value.PublicBaseUrl is null)
        {
            Note(forward, $"{name} was not sent. {NoPublicBaseUrl}");
            return;
        }

        var mime = ContentTypes.Clean(mimeType);
        var kind = MediaKinds.FromMimeType(mime);
        if (kind is null)
        {
            if (bridgeOptions.Value.UnsupportedMedia == UnsupportedMediaPolicy.Reject)
            {
                Note(forward, $"{name} was not sent: WhatsApp groups cannot receive {mime} files.");
                return;
            }

            kind = MediaKinds.Link;
        }

        var limit = mediaOptions.Value.LimitFor(kind);
        if (size > limit)
        {
            Note(forward, TooLarge(name, size.Value, kind, limit));
            return;
        }

        forward.Attachments.Add(new Attachment { Name = name, MimeType = mime, Size = size, SourceUrl = sourceUrl, Kind = kind });
    }

    public static string TooLarge(string name, long? size, string kind, long limit)
    {
        var what = kind switch
        {
            MediaKinds.Image => "images",
            MediaKinds.Video => "videos",
            MediaKinds.Voice => "audio",
            _ => "files sent as links",
        };
        var actual = size is { } bytes ? $"it is {Format(bytes)}, " : "it is ";
        return $"{name} was not sent: {actual}larger than the {Format(limit)} allowed for {what}.";
    }

    private static string Format(long bytes) => bytes switch
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
