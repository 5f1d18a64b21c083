namespace Bridge.Media;

/// <summary>How an attachment is sent (<see cref="Storage.Attachment.Kind"/>): the WhatsApp media types, or a link in a text.</summary>
public static class MediaKinds
{
    public const string Image = "image";
    public const string Video = "video";
    public const string Voice = "voice";
    public const string Link = "link";

    /// <summary>The WhatsApp media type for a MIME type, or null when WhatsApp groups cannot take it as media.</summary>
    public static string? FromMimeType(string? mimeType)
    {
        var type = (mimeType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return type.StartsWith("image/", StringComparison.Ordinal) ? Image
            : type.StartsWith("video/", StringComparison.Ordinal) ? Video
            : type.StartsWith("audio/", StringComparison.Ordinal) ? Voice
            : null;
    }
}
