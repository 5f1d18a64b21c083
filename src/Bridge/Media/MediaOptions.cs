using System.ComponentModel.DataAnnotations;
using Bridge.Forwarding;

namespace Bridge.Media;

/// <summary>Limits and lifetime of the files Bridge re-hosts for WhatsApp.</summary>
internal sealed class MediaOptions
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
    /// <summary>
    /// The longest a whole download may take, headers and body: a stalled file host must not hold a group's lane. Two
    /// minutes moves the largest file allowed (100 MB) at about 7 Mbit/s, far below what Slack and SharePoint serve.
    /// </summary>
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Video WhatsApp can't play (WebM, HEVC or ProRes MOV) is converted to H.264/AAC MP4; audio always becomes a voice note.</summary>
    public bool TranscodeVideo { get; set; } = true;
    /// <summary>The longest one ffmpeg run may take; a run cut short sends the file as it is.</summary>
    public TimeSpan TranscodeTimeout { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>The folder holding <c>ffmpeg</c> and <c>ffprobe</c>; empty means the ones on the PATH.</summary>
    public string? FfmpegFolder { get; set; }
    /// <summary>
    /// Hosts (and their subdomains) Teams file links may be fetched from besides SharePoint and OneDrive
    /// (<see cref="DefaultTeamsFileHosts"/>, always allowed), as <c>Teams:AllowedServiceHosts</c> adds to the Bot
    /// Connector's hosts. A loopback address listed here is reachable over plain http, for tests only.
    /// </summary>
    public string[] TeamsFileHosts { get; set; } = [];

    /// <summary>
    /// Where Teams keeps files sent to a bot: the sender's OneDrive for Business (<c>{tenant}-my.sharepoint.com</c>) or a
    /// SharePoint site, in the sovereign clouds too, and consumer OneDrive
    /// (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4).
    /// </summary>
    public static readonly string[] DefaultTeamsFileHosts =
        ["sharepoint.com", "sharepoint.us", "sharepoint-mil.us", "sharepoint.cn", "onedrive.com", "onedrive.live.com", "1drv.ms", "1drv.com"];

    public IReadOnlyList<string> EffectiveTeamsFileHosts => [.. DefaultTeamsFileHosts, .. TeamsFileHosts];

    public long LimitFor(MediaKind kind) => kind switch
    {
        MediaKind.Image => MaxImageBytes,
        MediaKind.Video => MaxVideoBytes,
        MediaKind.Voice => MaxAudioBytes,
        _ => MaxDocumentBytes,
    };
}
