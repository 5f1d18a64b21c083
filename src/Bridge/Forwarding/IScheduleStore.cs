namespace Bridge.Forwarding;

/// <summary>
/// Scheduled sends, durable until their time. Schedules go in and come out as copies; a change is stored only through
/// <see cref="UpdateScheduleAsync"/>, which is atomic, so of a cancel and a firing at once exactly one wins.
/// </summary>
internal interface IScheduleStore
{
    /// <summary>
    /// Records a new schedule and claims <paramref name="dedupeKey"/> (when there is one) in one atomic step, so a
    /// request retried, or an approval finished again after a crash, schedules once, and a crash between the two can't
    /// leave a key claimed with nothing scheduled. Records nothing when the id is taken or the key was claimed before.
    /// </summary>
    Task<ScheduleAdded> AddScheduleAsync(ScheduledSend schedule, string? dedupeKey, CancellationToken cancellationToken);

    Task<ScheduledSend?> GetScheduleAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="take"/> schedules of <paramref name="channel"/> (every channel when null). Waiting ones
    /// (<see cref="ScheduledSend.IsWaiting"/>) by time, then the order they were stored in (then id), the order they fire in; otherwise the sent and cancelled
    /// ones, the latest finished first.
    /// </summary>
    Task<IReadOnlyList<ScheduledSend>> ListSchedulesAsync(ChannelRef? channel, bool waiting, int take, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the stored schedule atomically: it returns false to leave it as it is. Returns
    /// the changed schedule, or null when there is none with this id or <paramref name="change"/> returned false.
    /// <paramref name="change"/> must not call the store.
    /// </summary>
    Task<ScheduledSend?> UpdateScheduleAsync(string id, Func<ScheduledSend, bool> change, CancellationToken cancellationToken);

    /// <summary>Retention: deletes the sent and cancelled schedules that finished before <paramref name="finishedBefore"/>; returns how many.</summary>
    Task<int> PurgeFinishedSchedulesAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken);
}
