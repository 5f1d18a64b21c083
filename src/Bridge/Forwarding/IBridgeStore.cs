
namespace Bridge.Forwarding;

/// <summary>Bridge's durable state: links, forwards with their delivery jobs, dedupe keys and settings.</summary>
public interface IBridgeStore
{
    IReadOnlyList<ChannelLink> GetLinks(ChannelRef channel);
    IReadOnlyList<ChannelLink> ListLinks(Platform? platform = null, string? channelId = null, string? groupId = null);
    /// <summary>Adds the link; false when the channel is already linked to that group.</summary>
    bool AddLink(ChannelLink link);
    bool RemoveLink(string linkId);

    /// <summary>
    /// Records a forward and one job per group in one transaction. With a dedupe key already seen, records nothing and
    /// returns the earlier forward's id.
    /// </summary>
    AcceptResult Accept(Forward forward, IReadOnlyList<ChannelLink> groups, string? dedupeKey);
    Forward? GetForward(string forwardId);
    /// <summary>Applies a change to the stored forward atomically (the worker's lanes and the reply poster both change forwards).</summary>
    Forward? UpdateForward(string forwardId, Action<Forward> change);
    /// <summary>Forwards with a reply step due: a visible record to announce, or an outcome ready to reply.</summary>
    IReadOnlyList<Forward> GetForwardsToReply(DateTimeOffset now);
    /// <summary>At start-up: forwards whose jobs all ended before a crash let them be marked ready.</summary>
    int MarkFinishedForwardsReady();

    IReadOnlyList<DeliveryJob> GetJobs(string forwardId);
    DeliveryJob? GetJob(long jobId);
    /// <summary>Jobs still pending or in flight, read once at start-up.</summary>
    IReadOnlyList<DeliveryJob> GetUnfinishedJobs();
    void UpdateJob(DeliveryJob job);
    /// <summary>At start-up: a job left <see cref="DeliveryStatus.Sending"/> by a crash may have been taken by WhatsApp.</summary>
    int MarkInterruptedSendsUnknown(string error, DateTimeOffset now);
    IReadOnlyList<DeliveryJob> QueryJobs(DeliveryQuery query);

    /// <summary>Records that a request was handled; false when the key was recorded before (a retry).</summary>
    bool TryClaim(string dedupeKey, DateTimeOffset at);

    /// <summary>Saves a file as it streams in (never buffered whole); a failure while reading leaves nothing behind.</summary>
    Task<StoredMedia> SaveMediaAsync(StoredMedia media, Stream content, CancellationToken cancellationToken);
    StoredMedia? GetMedia(string mediaId);
    /// <summary>Opens a stored file for reading; the caller disposes the stream.</summary>
    Stream? OpenMedia(string mediaId);
    /// <summary>Deletes the files whose lifetime has ended; returns how many.</summary>
    int PurgeExpiredMedia(DateTimeOffset now);

    string? GetSetting(string key);
    void SetSetting(string key, string value);
    bool Ping();
}
