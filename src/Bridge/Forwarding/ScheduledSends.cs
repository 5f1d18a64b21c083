namespace Bridge.Forwarding;

/// <summary>
/// Stores sends for later and cancels them. <see cref="ScheduleAsync"/> is the one way a schedule is made (a command
/// now, an approval later); the schedule worker accepts each at its time.
/// </summary>
internal sealed partial class ScheduledSends(
    IScheduleStore store,
    IEnumerable<IThreadReplier> repliers,
    TimeProvider time,
    ILogger<ScheduledSends> logger)
{
    /// <summary>Letters and digits no one misreads (no 0/o, 1/l/i): ids are typed from a chat message.</summary>
    private const string IdAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    private const int IdLength = 5;

    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes when a schedule is next stored or cancelled here, so the schedule worker looks again at once. Take it
    /// before reading the store, so a change made while reading is not missed.
    /// </summary>
    public Task NextChangeAsync() => Volatile.Read(ref _changed).Task;

    /// <summary>Wakes whoever awaits <see cref="NextChangeAsync"/>: a schedule changed, or the clock Bridge runs on jumped.</summary>
    public void Changed() =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// Stores <paramref name="forward"/> to be accepted for <paramref name="groups"/> at <paramref name="sendAt"/>,
    /// then posts its visible record in the channel where the platform needs one (a Slack slash command leaves none),
    /// whose thread the outcome then goes to. Returns the stored schedule, or null when <paramref name="dedupeKey"/>
    /// was claimed before: the request was scheduled already (a retry, or an approval finished again).
    /// </summary>
    public async Task<ScheduledSend?> ScheduleAsync(
        Forward forward, IReadOnlyList<ChannelLink> groups, DateTimeOffset sendAt, string zoneId, string? dedupeKey, CancellationToken cancellationToken)
    {
        if (groups.Count == 0)
        {
            throw new ArgumentException("A schedule goes to at least one group.", nameof(groups));
        }

        var now = time.GetUtcNow();
        forward.CreatedAt = now;
        var schedule = new ScheduledSend
        {
            Forward = forward,
            Groups = [.. groups.Select(g => g.Copy())],
            SendAt = sendAt,
            ZoneId = zoneId,
            CreatedAt = now,
            Id = NewId(),
        };
        while (await store.AddScheduleAsync(schedule, dedupeKey, cancellationToken) is var added && added != ScheduleAdded.Added)
        {
            if (added == ScheduleAdded.Duplicate)
            {
                return null;
            }

            schedule.Id = NewId();
        }

        Changed();
        Log.Scheduled(logger, schedule.Id, forward.Id, sendAt);
        if (forward.Announce && repliers.FirstOrDefault(r => r.Platform == forward.Platform) is IThreadAnnouncer announcer
            && await announcer.AnnounceScheduleAsync(schedule, cancellationToken) is { } threadId)
        {
            // Without it (Slack refused, or a crash before this write) the forward still announces itself when it is
            // accepted, as any slash command's does, and the outcome follows there or privately.
            schedule = await store.UpdateScheduleAsync(schedule.Id, s =>
            {
                s.Forward.Reply.ThreadId = threadId;
                return true;
            }, CancellationToken.None) ?? schedule;
        }

        return schedule;
    }

    /// <summary>
    /// Cancels the schedule if it is still pending and tells its thread who cancelled it; returns it cancelled, or null
    /// when there is no such schedule or it is no longer pending (its time came first, or it was cancelled before).
    /// </summary>
    public Task<ScheduledSend?> CancelAsync(string id, string cancelledBy, CancellationToken cancellationToken) =>
        CancelAsync(id, cancelledBy, ScheduleState.Pending, cancellationToken);

    /// <summary>
    /// As <see cref="CancelAsync(string, string, CancellationToken)"/>, for a schedule in state <paramref name="from"/>:
    /// the schedule worker cancels one it is firing (<see cref="ScheduleState.Sending"/>) when none of its groups is
    /// linked any more.
    /// </summary>
    public async Task<ScheduledSend?> CancelAsync(string id, string cancelledBy, ScheduleState from, CancellationToken cancellationToken)
    {
        var cancelled = await store.UpdateScheduleAsync(Normalize(id), s =>
        {
            if (s.State != from)
            {
                return false;
            }

            s.State = ScheduleState.Cancelled;
            s.CancelledBy = cancelledBy;
            s.FinishedAt = time.GetUtcNow();
            return true;
        }, cancellationToken);
        if (cancelled is null)
        {
            return null;
        }

        Changed();
        Log.Cancelled(logger, cancelled.Id);
        if (cancelled.Forward.Reply.ThreadId is not null && repliers.FirstOrDefault(r => r.Platform == cancelled.Forward.Platform) is { } replier)
        {
            try
            {
                await replier.ReplyAsync(cancelled.Forward, $"🚫 Cancelled by {cancelledBy}. This scheduled message will not be sent.", [], lastAttempt: true, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Cancelled all the same; the person who cancelled was told so.
                Log.CancelNoticeFailed(logger, cancelled.Id, exception.GetType().Name, LogValue.Clean(exception.Message));
            }
        }

        return cancelled;
    }

    public Task<ScheduledSend?> GetAsync(string id, CancellationToken cancellationToken) => store.GetScheduleAsync(Normalize(id), cancellationToken);

    private static string Normalize(string id) => id.Trim().Trim('`').ToLowerInvariant();

    private static string NewId() => string.Create(IdLength, 0, (chars, _) =>
    {
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = IdAlphabet[Random.Shared.Next(IdAlphabet.Length)];
        }
    });

    private static partial class Log
    {
        [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Scheduled send {ScheduleId} (forward {ForwardId}) stored for {SendAt:o}")]
        public static partial void Scheduled(ILogger logger, string scheduleId, string forwardId, DateTimeOffset sendAt);

        [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "Scheduled send {ScheduleId} cancelled")]
        public static partial void Cancelled(ILogger logger, string scheduleId);

        [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "The cancel notice of scheduled send {ScheduleId} could not be posted: {Error} {Reason}")]
        public static partial void CancelNoticeFailed(ILogger logger, string scheduleId, string error, string reason);
    }
}
