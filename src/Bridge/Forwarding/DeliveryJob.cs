namespace Bridge.Forwarding;

/// <summary>
/// The send of one <see cref="Forward"/> to one WhatsApp group. Jobs of one group run in <see cref="Id"/> order,
/// which is acceptance order.
/// </summary>
internal sealed class DeliveryJob
{
    /// <summary>Assigned by the store, increasing in acceptance order.</summary>
    public long Id { get; set; }
    public string ForwardId { get; set; } = "";
    public Platform Platform { get; set; }
    public string WorkspaceId { get; set; } = "";
    public string ChannelId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string SessionId { get; set; } = "";
    public string GroupId { get; set; } = "";
    public string GroupName { get; set; } = "";
    public DeliveryStatus Status { get; set; }
    /// <summary>The WhatsApp message ids of the parts sent so far, in order.</summary>
    public List<string> MessageIds { get; set; } = [];
    /// <summary>Parts that ended without a message: a file that could not be fetched and had no text to carry.</summary>
    public List<int> SkippedParts { get; set; } = [];
    public List<DeliveryAttempt> Attempts { get; set; } = [];
    /// <summary>The sentence told to people when the job failed or its outcome is unknown.</summary>
    public string? Error { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>
    /// The replica that claimed the job to run it (<see cref="IForwardStore.TryClaimJobAsync"/>), null while unclaimed.
    /// A store refuses an update whose claimant is no longer the job's, so a replica that lost its lease never overwrites.
    /// </summary>
    public string? ClaimedBy { get; set; }
    /// <summary>Until when <see cref="ClaimedBy"/> holds the job; after it, another replica may claim it.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    /// <summary>The job this one sends again (<see cref="IForwardStore.RetryJobAsync"/>); null for a job made by an accept and in older rows.</summary>
    public long? RetryOf { get; set; }
    /// <summary>Who asked for the retry, e.g. "admin-api from 10.0.0.7"; its time is <see cref="CreatedAt"/>.</summary>
    public string? RetriedBy { get; set; }

    public string GroupKey => SessionId + "/" + GroupId;

    /// <summary>The session (phone) of a <see cref="GroupKey"/>; group ids hold no slash.</summary>
    public static string SessionOf(string groupKey) => groupKey[..groupKey.LastIndexOf('/')];

    /// <summary>The part to send next: each part ends with a message id or as skipped, never both.</summary>
    public int NextPart => MessageIds.Count + SkippedParts.Count;

    /// <summary>For the reply: each file that was not sent, in a sentence naming it and saying why.</summary>
    public IReadOnlyList<string> MissingFiles =>
        [.. Attempts.Where(a => a.Outcome == DeliveryAttempt.MediaFailed).Select(a => a.Detail ?? "")];

    public bool IsFinished => Status is DeliveryStatus.Delivered or DeliveryStatus.Failed or DeliveryStatus.Unknown;

    /// <summary>A replica holds the job at <paramref name="now"/>: its lease has not run out.</summary>
    public bool IsLeased(DateTimeOffset now) => ClaimedBy is not null && LeaseUntil > now;

    /// <summary>Whether <paramref name="replicaId"/> may claim the job at <paramref name="now"/>, its group's order aside.</summary>
    public bool IsClaimableBy(string replicaId, DateTimeOffset now) => !IsFinished && (ClaimedBy == replicaId || !IsLeased(now));

    /// <summary>The job a store records when it accepts <paramref name="forward"/> for the group of <paramref name="link"/>.</summary>
    public static DeliveryJob Pending(Forward forward, ChannelLink link) => new()
    {
        ForwardId = forward.Id,
        Platform = forward.Platform,
        WorkspaceId = forward.WorkspaceId,
        ChannelId = forward.ChannelId,
        UserId = forward.UserId,
        SessionId = link.SessionId,
        GroupId = link.GroupId,
        GroupName = link.GroupName,
        Status = DeliveryStatus.Pending,
        NextAttemptAt = forward.CreatedAt,
        CreatedAt = forward.CreatedAt,
        UpdatedAt = forward.CreatedAt,
    };

    /// <summary>Whether an admin may send this job again: it ended without being delivered.</summary>
    public bool IsRetryable => Status is DeliveryStatus.Failed or DeliveryStatus.Unknown;

    /// <summary>
    /// The job a store records when <paramref name="retriedBy"/> retries this one at <paramref name="now"/>: the same send,
    /// from the part that did not go. The parts WhatsApp took keep their message ids and are not sent again.
    /// </summary>
    public DeliveryJob Retry(string retriedBy, DateTimeOffset now) => new()
    {
        ForwardId = ForwardId,
        Platform = Platform,
        WorkspaceId = WorkspaceId,
        ChannelId = ChannelId,
        UserId = UserId,
        SessionId = SessionId,
        GroupId = GroupId,
        GroupName = GroupName,
        Status = DeliveryStatus.Pending,
        MessageIds = [.. MessageIds],
        SkippedParts = [.. SkippedParts],
        NextAttemptAt = now,
        CreatedAt = now,
        UpdatedAt = now,
        RetryOf = Id,
        RetriedBy = retriedBy,
    };

    /// <summary>A send cut short by a stop: WhatsApp may have taken the part, so the outcome is unknown.</summary>
    public void MarkInterrupted(string error, DateTimeOffset now)
    {
        Status = DeliveryStatus.Unknown;
        Error = error;
        UpdatedAt = now;
        Attempts.Add(new DeliveryAttempt(now, NextPart, DeliveryAttempt.Interrupted, null, "Bridge stopped while sending"));
    }
}
