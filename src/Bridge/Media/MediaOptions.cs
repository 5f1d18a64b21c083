using System.ComponentModel.DataAnnotations;

namespace Bridge.Media;

/// <summary>Limits and lifetime of the files Bridge re-hosts for WhatsApp.</summary>
public sealed class MediaOptions
{
    public const string Section = "Media";
    private const long MB = 1024 * 1024;

    /// <summary>WhatsApp's usual limits: about 5 MB for images, 16 MB for video and audio.</summary>
    [Range(1, long.MaxValue)]
    public long MaxImageBytes { get; set; } = 5 * MB;
    [Range(1, long.MaxValue)]
    public long MaxVideoBytes { get; set; } = 16 * MB;
    [Range(1, long.MaxValue)]
    public long MaxAudioBytes { get; set; } = 16 * MB;
    /// <summary>Files sent as a link (PDF, archives, …) are kept up to this size.</summary>
    [Range(1, long.MaxValue)]
    public long MaxDocumentBytes { get; set; } = 100 * MB;
    /// <summary>Key for the media URL signatures. When empty, one is generated once and kept in the store.</summary>
    [MinLength(32)]
    public string? SigningKey { get; set; }
    /// <summary>How long a stored file and its links stay valid.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(30);

    public long LimitFor(string kind) => kind switch
    {
        MediaKinds.Image => MaxImageBytes,
        MediaKinds.Video => MaxVideoBytes,
        MediaKinds.Voice => MaxAudioBytes,
        _ => MaxDocumentBytes,
    };
}
