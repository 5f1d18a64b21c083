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
    MediaTranscoder transcoder,
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

        string? note = null;
        StoredMedia media;
        if (transcoder.Wants(attachment.Kind))
        {
            (media, note) = await SaveConvertedAsync(forward, index, cancellationToken);
        }
        else
        {
            media = await DownloadAsync(forward, index, files.SaveMediaAsync, cancellationToken);
        }

        // Recorded even when stopping: the file is stored, and the next try takes it from the store instead of fetching again.
        await forwards.UpdateForwardAsync(forwardId, f =>
        {
            f.Attachments[index].MediaId = media.Id;
            if (note is not null && !f.Notes.Contains(note))
            {
                f.Notes.Add(note);
            }
        }, CancellationToken.None);
        Log.Stored(logger, media.Id, forwardId, index, media.Length);
        return media;
    }

    /// <summary>
    /// Downloads the attachment and hands it, size-limited, to <paramref name="keep"/> with the stored file it becomes.
    /// <see cref="MediaOptions.DownloadTimeout"/> covers the whole download, body included: a host that sends headers
    /// and then trickles must not hold the lane.
    /// </summary>
    private async Task<T> DownloadAsync<T>(
        Forward forward, int index, Func<StoredMedia, Stream, CancellationToken, Task<T>> keep, CancellationToken cancellationToken)
    {
        var attachment = forward.Attachments[index];
        var downloader = downloaders.FirstOrDefault(d => d.Platform == forward.Platform)
            ?? throw new MediaException($"Bridge cannot fetch files from {forward.Platform}.");
        var limit = mediaOptions.Value.LimitFor(attachment.Kind);
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
            var target = new StoredMedia(
                Guid.NewGuid().ToString("N"),
                UrlSafeFileName(attachment.Name),
                ContentTypes.Clean(string.IsNullOrEmpty(attachment.MimeType) ? file.ContentType : attachment.MimeType),
                time.GetUtcNow() + mediaOptions.Value.Lifetime);
            await using var limited = new SizeLimitedStream(file.Content, limit,
                () => new MediaException(MediaPolicy.TooLarge(attachment.Name, null, attachment.Kind, limit)));
            return await keep(target, limited, download.Token);
        }
        catch (Exception exception) when (exception is not MediaException && !cancellationToken.IsCancellationRequested)
        {
            Log.FetchFailed(logger, forward.Id, index, exception.GetType().Name);
            var reason = deadline.IsCancellationRequested ? $"the download took longer than {Describe(timeout)}"
                : exception is TaskCanceledException or TimeoutException ? "the download timed out"
                : "the download failed";
            throw new MediaException($"{attachment.Name} could not be fetched from {forward.Platform}: {reason}. Try again later.", exception);
        }
    }

    /// <summary>
    /// Saves the file as ffmpeg converts it, or as it is with a note for the reply when it can't be converted. ffmpeg
    /// needs a file to seek in (an MP4's index may be at its end), so the download goes to a folder of its own first;
    /// the conversion has its own time limit, after the download's.
    /// </summary>
    private async Task<(StoredMedia Media, string? Note)> SaveConvertedAsync(Forward forward, int index, CancellationToken cancellationToken)
    {
        var attachment = forward.Attachments[index];
        var folder = Directory.CreateTempSubdirectory("bridge-media-");
        try
        {
            var input = Path.Combine(folder.FullName, "input");
            var target = await DownloadAsync(forward, index, async (target, content, token) =>
            {
                await using var copy = File.Create(input);
                await content.CopyToAsync(copy, token);
                return target;
            }, cancellationToken);

            string? note = null;
            try
            {
                if (await transcoder.TranscodeAsync(attachment.Kind, target.ContentType, input, mediaOptions.Value.LimitFor(attachment.Kind), cancellationToken) is { } converted)
                {
                    input = converted.Path;
                    target = target with { FileName = Path.ChangeExtension(target.FileName, converted.Extension), ContentType = converted.ContentType };
                }
            }
            catch (MediaException exception)
            {
                var what = attachment.Kind == MediaKind.Voice ? "a voice note" : "a video WhatsApp plays";
                note = $"{attachment.Name} was sent as it is: Bridge could not convert it to {what} ({exception.Message}).";
            }

            await using var file = File.OpenRead(input);
            return (await files.SaveMediaAsync(target, file, cancellationToken), note);
        }
        finally
        {
            folder.Delete(recursive: true);
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
