namespace Bridge.Forwarding;

/// <summary>Files kept for WhatsApp to fetch. Files stream in and out in chunks, never held whole in memory.</summary>
internal interface IMediaStore
{
    /// <summary>
    /// Saves a file as it streams in from <paramref name="content"/> (which need not seek) and returns it with its
    /// length. A failure while reading the source leaves nothing behind.
    /// </summary>
    Task<StoredMedia> SaveMediaAsync(StoredMedia media, Stream content, CancellationToken cancellationToken);

    Task<StoredMedia?> GetMediaAsync(string mediaId, CancellationToken cancellationToken);

    /// <summary>Opens a stored file for reading, or null when there is none; the caller disposes the stream.</summary>
    Task<Stream?> OpenMediaAsync(string mediaId, CancellationToken cancellationToken);

    /// <summary>Deletes the files whose lifetime has ended at <paramref name="now"/> (expiry at or before it); returns how many.</summary>
    Task<int> PurgeExpiredMediaAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
