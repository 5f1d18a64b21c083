namespace Bridge.Forwarding;

/// <summary>
/// Forwards, their delivery jobs and the dedupe claims. Entities go in and come out as copies: a change to a returned
/// forward or job is stored only through <see cref="UpdateForwardAsync"/> or <see cref="UpdateJobAsync"/>. A call on one
/// entity is atomic and, when it fails, leaves the state it found; the start-up calls that mark many
/// (<see cref="MarkInterruptedSendsUnknownAsync"/>, <see cref="MarkFinishedForwardsReadyAsync"/>) may stop part-way and
/// are safe to run again. Bridge's code passes <see cref="CancellationToken.None"/> to writes that record what already
/// happened (a message sent, a reply posted), so a stopping host still records them. A write is durable (on stable
/// storage) when its task completes; a store that cannot record right now throws <see cref="StoreUnavailableException"/>
/// and has recorded nothing of that call.
/// </summary>
internal interface IForwardStore
{
    /// <summary>
    /// Records a forward and one pending job per group, in the groups' order, in one transaction. Job ids are assigned
    /// by the store and increase in acceptance order, so one group's jobs run in acceptance order. With a dedupe key an
    /// earlier accept recorded, records nothing and returns the earlier forward's id.
    /// </summary>
    Task<AcceptResult> AcceptAsync(
        Forward forward, IReadOnlyList<ChannelLink> groups, string? dedupeKey, CancellationToken cancellationToken);

    Task<Forward?> GetForwardAsync(string forwardId, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a change to the stored forward atomically and returns the result, or null when there is no such
    /// forward. Concurrent updates never lose each other's changes (the worker's lanes and the reply poster both
    /// change forwards); <paramref name="change"/> must not call the store.
    /// </summary>
    Task<Forward?> UpdateForwardAsync(string forwardId, Action<Forward> change, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> forwards whose <see cref="Forward.ReplyDueAt"/> is at or before
    /// <paramref name="now"/>, earliest first, for <paramref name="replicaId"/> until <paramref name="leaseUntil"/>,
    /// and returns them; read through an index, so its cost does not grow with the backlog. A forward another replica
    /// holds under a live lease is left out, so exactly one replica posts each reply; the claimant may claim its own again.
    /// The claim ends with the <see cref="UpdateForwardAsync"/> that changes the forward's <see cref="Forward.ReplyDueAt"/>
    /// (the post recorded, or its retry put off), so the next step is anyone's.
    /// </summary>
    Task<IReadOnlyList<Forward>> ClaimForwardsToReplyAsync(
        string replicaId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken);

    /// <summary>At start-up: forwards waiting for their reply whose jobs all ended before a crash are marked ready; returns how many.</summary>
    Task<int> MarkFinishedForwardsReadyAsync(CancellationToken cancellationToken);

    /// <summary>The forward's jobs in id order.</summary>
    Task<IReadOnlyList<DeliveryJob>> GetJobsAsync(string forwardId, CancellationToken cancellationToken);

    Task<DeliveryJob?> GetJobAsync(long jobId, CancellationToken cancellationToken);

    /// <summary>Jobs still pending or sending, in id order (so in each group's order); read once at start-up.</summary>
    Task<IReadOnlyList<DeliveryJob>> GetUnfinishedJobsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored job with this one (same id), keeping its claim. Fenced: when the stored job's claimant is not
    /// <see cref="DeliveryJob.ClaimedBy"/> (another replica claimed it once this one's lease ran out), nothing is written
    /// and <see cref="JobClaimLostException"/> is thrown.
    /// </summary>
    Task UpdateJobAsync(DeliveryJob job, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the job for <paramref name="replicaId"/> until <paramref name="leaseUntil"/> and returns it (with its claim),
    /// or returns null when it is finished, is not the oldest unfinished job of its group, or another replica holds it
    /// under a lease still live at <paramref name="now"/>. The claimant claims again to renew its lease. A job returned
    /// <see cref="DeliveryStatus.Sending"/> was left by a claimant whose lease ran out mid-send: it may have been taken, so
    /// it is to be reported possibly delivered, never sent again.
    /// </summary>
    Task<DeliveryJob?> TryClaimJobAsync(
        long jobId, string replicaId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// At start-up: a job left <see cref="DeliveryStatus.Sending"/> by a crash may have been taken by WhatsApp. Each
    /// whose lease is not live at <paramref name="now"/> (another replica may be sending the others) becomes
    /// <see cref="DeliveryStatus.Unknown"/> with <paramref name="error"/> and an "interrupted" attempt for the part it
    /// was sending; returns how many.
    /// </summary>
    Task<int> MarkInterruptedSendsUnknownAsync(string error, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records, in one atomic call, a new pending job that sends <paramref name="jobId"/> again, linked to it
    /// (<see cref="DeliveryJob.RetryOf"/>), with an id drawn now, so it joins the end of its group's queue as an accept's
    /// jobs do; and makes its forward's outcome pending again (<see cref="Forward.AwaitRetriedOutcome"/>). Returns the new
    /// job, or null when the job is unknown, did not end <see cref="DeliveryJob.IsRetryable"/>, or was retried before: a
    /// job is retried at most once, however many replicas ask at once (its retry may itself be retried).
    /// </summary>
    Task<DeliveryJob?> RetryJobAsync(long jobId, string retriedBy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Jobs matching every filter given, newest (highest id) first, one page of <see cref="DeliveryQuery.Take"/> after <see cref="DeliveryQuery.Skip"/>.</summary>
    Task<IReadOnlyList<DeliveryJob>> QueryJobsAsync(DeliveryQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The finished jobs (delivered, failed, possibly delivered) created at or after <paramref name="since"/>, counted by
    /// the hour they were created in and their status, in one read: the admin page's traffic chart.
    /// </summary>
    Task<IReadOnlyList<HourlyCount>> CountFinishedByHourAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Records that a request was handled; false when the key was recorded before (a retry).</summary>
    Task<bool> TryClaimAsync(string dedupeKey, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Retention: deletes each forward created before <paramref name="createdBefore"/> whose reply is done (replied or
    /// failed) and whose jobs have all ended, with its jobs; nothing unfinished. Works in small slices, so other calls
    /// never wait long behind it; may stop part-way and is safe to run again. Returns how many forwards it deleted.
    /// </summary>
    Task<int> PurgeFinishedForwardsAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken);

    /// <summary>Deletes the dedupe keys recorded before <paramref name="recordedBefore"/>, in small slices; returns how many.</summary>
    Task<int> PurgeDedupeKeysAsync(DateTimeOffset recordedBefore, CancellationToken cancellationToken);

    /// <summary>Rewrites the store compactly, on an operator's request; returns how many bytes it shrank by.</summary>
    Task<long> RebuildAsync(CancellationToken cancellationToken);

    /// <summary>What the store can do now: <see cref="StoreState.Ready"/> when it answers and its writes succeed.</summary>
    Task<StoreState> CheckAsync(CancellationToken cancellationToken);
}
