using System.Collections.Concurrent;
using Bridge.Forwarding;
using Microsoft.Extensions.Options;

namespace Bridge.Media;

/// <summary>
/// Publishes a forward's files for WhatsApp. A file is fetched from its platform once per forward, kept in the store,
/// and given to WhatsApp as a signed URL; the jobs of the forward's other groups, and jobs resumed after a restart,
/// take it from the store.
/// </summary>
internal sealed partial class MediaPublisher(
    IForwardStore forwards,
    IMediaStore files,
    IEnumerable<IMediaDownloader> downloaders,
    MediaSigner signer,
    IOptions<MediaOptions> mediaOptions,
    IOptions<BridgeOptions> bridgeOptions,
    TimeProvider time,
    ILogger<MediaPublisher> logger) : IMediaPublisher
{
    // Lanes of different groups may reach the same file at the same time; they share one download.
    private readonly ConcurrentDictionary<string, Lazy<Task<StoredMedia>>> _fetching = new();

    public async Task<PublishedFile> PublishAsync(Forward forward, int attachmentIndex, CancellationToken cancellationToken)
    {
        var publicBaseUrl = bridgeOptions.Value.PublicBaseUrl ?? throw new MediaException(MediaPolicy.NoPublicBaseUrl);
        var media = await FetchOnceAsync(forward.Id, attachmentIndex, cancellationToken);
        var url = (await signer.CreateUrlAsync(publicBaseUrl, media.Id, media.FileName, media.ExpiresAt)).AbsoluteUri;
        return new PublishedFile(url, media.ContentType, forward.Attachments[attachmentIndex].Name);
    }

    private async Task<StoredMedia> FetchOnceAsync(string forwardId, int index, CancellationToken cancellationToken)
    {
        var key = forwardId + "/" + index;
        var fetch = _fetching.GetOrAdd(key, _ => new Lazy<Task<StoredMedia>>(() => StoreAsync(forwardId, index, cancellationToken)));
        try
        {
            return await fetch.Value;
        }
        finally
        {
            _fetching.TryRemove(KeyValuePair.Create(key, fetch));
        }
    }

    private async Task<StoredMedia> StoreAsync(string forwardId, int index, CancellationToken cancellationToken)
    {
        // Read again: another lane may have stored the file since this job loaded the forward.
        var forward = await forwards.GetForwardAsync(forwardId, cancellationToken) ?? throw new MediaException("The forwarded message was not found in Bridge's store.");
        var attachment = forward.Attachments[index];
        var now = time.GetUtcNow();
        if (attachment.MediaId is { } storedId && await files.GetMediaAsync(storedId, cancellationToken) is { } stored && stored.ExpiresAt > now)
        {
            return stored;
        }

        var downloader = downloaders.FirstOrDefault(d => d.Platform == forward.Platform)
            ?? throw new MediaException($"Bridge cannot fetch files from {forward.Platform}.");
        var limit = mediaOptions.Value.LimitFor(attachment.Kind);
        // The limit covers the whole download, body included: a host that sends headers and then trickles must not hold the lane.
        var timeout = mediaOptions.Value.DownloadTimeout;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var download = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var file = await downloader.OpenAsync(forward, attachment, download.Token);
            if (file.Length > limit)
            {
                throw new MediaException(MediaPolicy.TooLarge(attachment.Name, file.Length, attachment.Kind, limit));
            }

            // A type not known when the forward was accepted (Teams' pasted images) is the one the download says.
            var contentType = ContentTypes.Clean(string.IsNullOrEmpty(attachment.MimeType) ? file.ContentType : attachment.MimeType);
            await using var limited = new SizeLimitedStream(file.Content, limit,
                () => new MediaException(MediaPolicy.TooLarge(attachment.Name, null, attachment.Kind, limit)));
            var media = await files.SaveMediaAsync(
                new StoredMedia(Guid.NewGuid().ToString("N"), UrlSafeFileName(attachment.Name), contentType, now + mediaOptions.Value.Lifetime),
                limited,
                download.Token);
            // Recorded even when stopping: the file is stored, and the next try takes it from the store instead of fetching again.
            await forwards.UpdateForwardAsync(forwardId, f => f.Attachments[index].MediaId = media.Id, CancellationToken.None);
            Log.Stored(logger, media.Id, forwardId, index, media.Length);
            return media;
        }
        catch (Exception exception) when (exception is not MediaException && !cancellationToken.IsCancellationRequested)
        {
            Log.FetchFailed(logger, forwardId, index, exception.GetType().Name);
            var reason = deadline.IsCancellationRequested ? $"the download took longer than {Describe(timeout)}"
                : exception is TaskCanceledException or TimeoutException ? "the download timed out"
                : "the download failed";
            throw new MediaException($"{attachment.Name} could not be fetched from {forward.Platform}: {reason}. Try again later.", exception);
        }
    }

    private static string Describe(TimeSpan timeout) =>
        timeout.TotalMinutes >= 1 && timeout.Seconds == 0 ? $"{(int)timeout.TotalMinutes} min" : $"{Math.Ceiling(timeout.TotalSeconds)} s";

    /// <summary>The file name becomes the last segment of the media URL: no slashes or control characters in it.</summary>
    private static string UrlSafeFileName(string name)
    {
        var safe = new string(name.Select(c => c is '/' or '\\' || char.IsControl(c) ? '_' : c).ToArray()).Trim();
        return safe.Trim('.').Length == 0 ? "file" : safe;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Stored media {MediaId} for forward {ForwardId} attachment {Index} ({Length} bytes)")]
        public static partial void Stored(ILogger logger, string mediaId, string forwardId, int index, long length);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Fetching forward {ForwardId} attachment {Index} failed: {Error}")]
        public static partial void FetchFailed(ILogger logger, string forwardId, int index, string error);
    }
}
