using Bridge.Forwarding;

namespace Bridge.Media;

/// <summary>
/// Fetches a forward's attachment from its platform, with that platform's credentials, sent only to the platform's
/// own file hosts. One implementation per platform (Slack, Teams); the media pipeline stores what it returns.
/// </summary>
internal interface IMediaDownloader
{
    Platform Platform { get; }

    /// <summary>Opens the file for streaming. Throws <see cref="MediaException"/> with a sentence for people when it cannot.</summary>
    Task<DownloadedFile> OpenAsync(Forward forward, Attachment attachment, CancellationToken cancellationToken);
}

/// <summary>An open download: stream it, never buffer it whole. Disposing releases the HTTP response.</summary>
internal sealed class DownloadedFile(Stream content, string contentType, long? length, IDisposable? owner = null) : IDisposable
{
    public Stream Content { get; } = content;
    public string ContentType { get; } = contentType;
    public long? Length { get; } = length;

    public void Dispose()
    {
        Content.Dispose();
        owner?.Dispose();
    }
}
