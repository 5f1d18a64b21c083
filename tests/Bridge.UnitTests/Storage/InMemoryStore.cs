using System.Text.Json;
using Bridge.Forwarding;

namespace Bridge.UnitTests.Storage;

/// <summary>
/// The store in memory, for unit tests: it passes the same contract as the LiteDB store. Entities are copied in and
/// out (a caller changing a returned forward changes nothing stored), job ids increase from 1, one lock makes every
/// call atomic, and files are read from their source in chunks and read back as streams.
/// </summary>
internal sealed class InMemoryStore : ILinkStore, IForwardStore, IMediaStore, ISettingStore, IAdminSessionStore, IScheduleStore, IApprovalStore
{
    private readonly Lock _gate = new();
    private readonly List<ChannelLink> _links = [];
    private readonly Dictionary<string, Forward> _forwards = [];
    private readonly SortedDictionary<long, DeliveryJob> _jobs = [];
    private readonly Dictionary<string, (string? ForwardId, DateTimeOffset At)> _dedupe = [];
    private readonly Dictionary<string, (StoredMedia Media, byte[] Content)> _media = [];
    private readonly Dictionary<string, string> _settings = [];
    private readonly Dictionary<string, DateTimeOffset> _revokedSessions = [];
    private readonly Dictionary<string, (string ReplicaId, DateTimeOffset Until)> _replyClaims = [];
    private readonly Dictionary<string, ScheduledSend> _schedules = [];
    private readonly Dictionary<string, PendingApproval> _approvals = [];
    private long _lastJobId;

    public Task<IReadOnlyList<ChannelLink>> GetLinksAsync(ChannelRef channel, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ChannelLink>>(() => LinksOf(channel).Select(Copy).ToList());

    public Task<IReadOnlyList<ChannelLink>> ListLinksAsync(
        Platform? platform, string? channelId, string? groupId, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ChannelLink>>(() => _links
            .Where(l => platform is null || l.Platform == platform)
            .Where(l => channelId is null || l.ChannelId == channelId)
            .Where(l => groupId is null || l.GroupId == groupId)
            .OrderBy(l => l.Platform).ThenBy(l => l.ChannelId).ThenBy(l => l.CreatedAt)
            .Select(Copy)
            .ToList());

    public Task<bool> AddLinkAsync(ChannelLink link, CancellationToken cancellationToken) => Locked(() =>
    {
        if (LinksOf(link.Channel).Any(l => l.GroupId == link.GroupId && l.SessionId == link.SessionId))
        {
            return false;
        }

        _links.Add(Copy(link));
        return true;
    });

    public Task<LinkUpdate> UpdateLinkAsync(ChannelLink link, CancellationToken cancellationToken) => Locked(() =>
    {
        if (_links.FirstOrDefault(l => l.Id == link.Id) is not { } stored)
        {
            return LinkUpdate.NotFound;
        }

        if (LinksOf(stored.Channel).Any(l => l.Id != link.Id && l.GroupId == link.GroupId && l.SessionId == link.SessionId))
        {
            return LinkUpdate.Duplicate;
        }

        (stored.SessionId, stored.GroupId, stored.GroupName, stored.Paused, stored.RequiresApproval) = (link.SessionId, link.GroupId, link.GroupName, link.Paused, link.RequiresApproval);
        return LinkUpdate.Updated;
    });

    public Task<bool> RemoveLinkAsync(string linkId, CancellationToken cancellationToken) =>
        Locked(() => _links.RemoveAll(l => l.Id == linkId) > 0);

    private IEnumerable<ChannelLink> LinksOf(ChannelRef channel) =>
        _links.Where(l => l.Channel == channel).OrderBy(l => l.CreatedAt);

    public Task<AcceptResult> AcceptAsync(
        Forward forward, IReadOnlyList<ChannelLink> groups, string? dedupeKey, CancellationToken cancellationToken) => Locked(() =>
    {
        if (dedupeKey is not null)
        {
            if (_dedupe.TryGetValue(dedupeKey, out var earlier))
            {
                return new AcceptResult(false, earlier.ForwardId!, JobsOf(earlier.ForwardId!));
            }

            _dedupe[dedupeKey] = (forward.Id, forward.CreatedAt);
        }

        _forwards[forward.Id] = Copy(forward);
        foreach (var link in groups)
        {
            var job = DeliveryJob.Pending(forward, link);
            job.Id = ++_lastJobId;
            _jobs[job.Id] = job;
        }

        return new AcceptResult(true, forward.Id, JobsOf(forward.Id));
    });

    public Task<Forward?> GetForwardAsync(string forwardId, CancellationToken cancellationToken) =>
        Locked(() => _forwards.TryGetValue(forwardId, out var forward) ? Copy(forward) : null);

    public Task<Forward?> UpdateForwardAsync(string forwardId, Action<Forward> change, CancellationToken cancellationToken) =>
        Locked(() => ChangeForward(forwardId, change));

    private Forward? ChangeForward(string forwardId, Action<Forward> change)
    {
        if (!_forwards.TryGetValue(forwardId, out var stored))
        {
            return null;
        }

        var forward = Copy(stored);
        change(forward);
        if (forward.ReplyDueAt != stored.ReplyDueAt)
        {
            _replyClaims.Remove(forwardId);
        }

        _forwards[forwardId] = Copy(forward);
        return forward;
    }

    public Task<IReadOnlyList<Forward>> ClaimForwardsToReplyAsync(
        string replicaId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Forward>>(() =>
        {
            var claimed = _forwards.Values
                .Where(f => f.ReplyDueAt <= now)
                .Where(f => !_replyClaims.TryGetValue(f.Id, out var claim) || claim.ReplicaId == replicaId || claim.Until <= now)
                .OrderBy(f => f.ReplyDueAt)
                .ThenBy(f => f.Id, StringComparer.Ordinal)
                .Take(limit)
                .ToList();
            foreach (var forward in claimed)
            {
                _replyClaims[forward.Id] = (replicaId, leaseUntil);
            }

            return claimed.Select(Copy).ToList();
        });

    public Task<int> MarkFinishedForwardsReadyAsync(CancellationToken cancellationToken) => Locked(() =>
    {
        var finished = _forwards.Values
            .Where(f => f.ReplyState == ReplyState.Pending && !f.OutcomeReady)
            .Where(f => _jobs.Values.Where(j => j.ForwardId == f.Id).All(j => j.IsFinished))
            .ToList();
        foreach (var forward in finished)
        {
            forward.OutcomeReady = true;
        }

        return finished.Count;
    });

    public Task<IReadOnlyList<DeliveryJob>> GetJobsAsync(string forwardId, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<DeliveryJob>>(() => JobsOf(forwardId));

    private List<DeliveryJob> JobsOf(string forwardId) => _jobs.Values.Where(j => j.ForwardId == forwardId).OrderBy(j => j.Id).Select(Copy).ToList();

    public Task<DeliveryJob?> GetJobAsync(long jobId, CancellationToken cancellationToken) =>
        Locked(() => _jobs.TryGetValue(jobId, out var job) ? Copy(job) : null);

    public Task<IReadOnlyList<DeliveryJob>> GetUnfinishedJobsAsync(CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<DeliveryJob>>(() => _jobs.Values
            .Where(j => j.Status is DeliveryStatus.Pending or DeliveryStatus.Sending)
            .Select(Copy)
            .ToList());

    public Task UpdateJobAsync(DeliveryJob job, CancellationToken cancellationToken) => Locked(() =>
    {
        if (_jobs.TryGetValue(job.Id, out var stored))
        {
            if (stored.ClaimedBy != job.ClaimedBy)
            {
                throw new JobClaimLostException(job.Id, job.ClaimedBy);
            }

            var updated = Copy(job);
            updated.LeaseUntil = stored.LeaseUntil;
            _jobs[job.Id] = updated;
        }

        return true;
    });

    public Task<DeliveryJob?> TryClaimJobAsync(
        long jobId, string replicaId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) => Locked(() =>
    {
        if (!_jobs.TryGetValue(jobId, out var job) || !job.IsClaimableBy(replicaId, now)
            || _jobs.Values.Any(j => j.GroupKey == job.GroupKey && j.Id < jobId && !j.IsFinished))
        {
            return null;
        }

        job.ClaimedBy = replicaId;
        job.LeaseUntil = leaseUntil;
        return Copy(job);
    });

    public Task<int> MarkInterruptedSendsUnknownAsync(string error, DateTimeOffset now, CancellationToken cancellationToken) => Locked(() =>
    {
        var interrupted = _jobs.Values.Where(j => j.Status == DeliveryStatus.Sending && !j.IsLeased(now)).ToList();
        foreach (var job in interrupted)
        {
            job.MarkInterrupted(error, now);
            job.ClaimedBy = null;
            job.LeaseUntil = null;
        }

        return interrupted.Count;
    });

    public Task<DeliveryJob?> RetryJobAsync(long jobId, string retriedBy, DateTimeOffset now, CancellationToken cancellationToken) => Locked(() =>
    {
        if (!_jobs.TryGetValue(jobId, out var job) || !job.IsRetryable || _jobs.Values.Any(j => j.RetryOf == jobId))
        {
            return null;
        }

        var retry = job.Retry(retriedBy, now);
        retry.Id = ++_lastJobId;
        _jobs[retry.Id] = retry;
        _forwards[job.ForwardId].AwaitRetriedOutcome();
        _replyClaims.Remove(job.ForwardId);
        return Copy(retry);
    });

    public Task<IReadOnlyList<HourlyCount>> CountFinishedByHourAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        Locked(() => HourlyCount.Of(_jobs.Values.Where(j => j.CreatedAt >= since)));

    public Task<IReadOnlyList<DeliveryJob>> QueryJobsAsync(DeliveryQuery query, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<DeliveryJob>>(() => query.Page(_jobs.Values.Reverse(), id => _forwards.GetValueOrDefault(id)).Select(Copy).ToList());

    public Task<bool> TryClaimAsync(string dedupeKey, DateTimeOffset at, CancellationToken cancellationToken) =>
        Locked(() => _dedupe.TryAdd(dedupeKey, (null, at)));

    public Task<int> PurgeFinishedForwardsAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken) => Locked(() =>
    {
        var purged = _forwards.Values
            .Where(f => f.CreatedAt < createdBefore && f.ReplyState != ReplyState.Pending)
            .Where(f => _jobs.Values.Where(j => j.ForwardId == f.Id).All(j => j.IsFinished))
            .Select(f => f.Id)
            .ToList();
        foreach (var forwardId in purged)
        {
            _forwards.Remove(forwardId);
            foreach (var job in _jobs.Values.Where(j => j.ForwardId == forwardId).ToList())
            {
                _jobs.Remove(job.Id);
            }
        }

        return purged.Count;
    });

    public Task<int> PurgeDedupeKeysAsync(DateTimeOffset recordedBefore, CancellationToken cancellationToken) => Locked(() =>
    {
        var old = _dedupe.Where(k => k.Value.At < recordedBefore).Select(k => k.Key).ToList();
        foreach (var key in old)
        {
            _dedupe.Remove(key);
        }

        return old.Count;
    });

    public Task<long> RebuildAsync(CancellationToken cancellationToken) => Task.FromResult(0L);

    public Task<StoreState> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(StoreState.Ready);

    public async Task<StoredMedia> SaveMediaAsync(StoredMedia media, Stream content, CancellationToken cancellationToken)
    {
        // Read in chunks, outside the lock; stored only once the whole file has arrived, so a failing source leaves nothing.
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        var saved = media with { Length = copy.Length };
        lock (_gate)
        {
            _media[media.Id] = (saved, copy.ToArray());
        }

        return saved;
    }

    public Task<StoredMedia?> GetMediaAsync(string mediaId, CancellationToken cancellationToken) =>
        Locked(() => _media.TryGetValue(mediaId, out var file) ? file.Media : null);

    public Task<Stream?> OpenMediaAsync(string mediaId, CancellationToken cancellationToken) =>
        Locked<Stream?>(() => _media.TryGetValue(mediaId, out var file) ? new MemoryStream(file.Content, writable: false) : null);

    public Task<int> PurgeExpiredMediaAsync(DateTimeOffset now, CancellationToken cancellationToken) => Locked(() =>
    {
        var expired = _media.Values.Where(f => f.Media.ExpiresAt <= now).Select(f => f.Media.Id).ToList();
        foreach (var id in expired)
        {
            _media.Remove(id);
        }

        return expired.Count;
    });

    public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken) =>
        Locked(() => _settings.GetValueOrDefault(key));

    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken) =>
        Locked(() => _settings[key] = value);

    public Task<string> GetOrAddSettingAsync(string key, string value, CancellationToken cancellationToken) =>
        Locked(() => _settings.TryAdd(key, value) ? value : _settings[key]);

    public Task RevokeAdminSessionAsync(string id, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        Locked(() => _revokedSessions[id] = expiresAt);

    public Task<bool> IsAdminSessionRevokedAsync(string id, CancellationToken cancellationToken) =>
        Locked(() => _revokedSessions.ContainsKey(id));

    public Task<int> PurgeAdminSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Locked(() => _revokedSessions.Where(s => s.Value <= now).Select(s => s.Key).ToList().Count(_revokedSessions.Remove));

    public Task<ScheduleAdded> AddScheduleAsync(ScheduledSend schedule, string? dedupeKey, CancellationToken cancellationToken) => Locked(() =>
    {
        if (_schedules.ContainsKey(schedule.Id))
        {
            return ScheduleAdded.IdTaken;
        }

        if (dedupeKey is not null && !_dedupe.TryAdd(dedupeKey, (null, schedule.CreatedAt)))
        {
            return ScheduleAdded.Duplicate;
        }

        _schedules[schedule.Id] = Copy(schedule);
        return ScheduleAdded.Added;
    });

    public Task<ScheduledSend?> GetScheduleAsync(string id, CancellationToken cancellationToken) =>
        Locked(() => _schedules.TryGetValue(id, out var schedule) ? Copy(schedule) : null);

    public Task<IReadOnlyList<ScheduledSend>> ListSchedulesAsync(ChannelRef? channel, bool waiting, int take, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ScheduledSend>>(() =>
        {
            var found = _schedules.Values.Where(s => s.IsWaiting == waiting && (channel is null || s.Channel == channel));
            return [.. (waiting ? found.OrderBy(s => s.SendAt).ThenBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal) : found.OrderByDescending(s => s.FinishedAt)).Take(take).Select(Copy)];
        });

    public Task<ScheduledSend?> UpdateScheduleAsync(string id, Func<ScheduledSend, bool> change, CancellationToken cancellationToken) =>
        Locked(() =>
        {
            if (!_schedules.TryGetValue(id, out var stored) || Copy(stored) is not { } schedule || !change(schedule))
            {
                return null;
            }

            _schedules[id] = Copy(schedule);
            return schedule;
        });

    public Task<int> PurgeFinishedSchedulesAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken) =>
        Locked(() => _schedules.Values.Where(s => !s.IsWaiting && s.FinishedAt < finishedBefore).Select(s => s.Id).ToList().Count(_schedules.Remove));

    public Task AddApprovalAsync(PendingApproval approval, CancellationToken cancellationToken) =>
        Locked(() => _approvals[approval.Id] = Copy(approval));

    public Task<PendingApproval?> GetApprovalAsync(string approvalId, CancellationToken cancellationToken) =>
        Locked(() => _approvals.TryGetValue(approvalId, out var approval) ? Copy(approval) : null);

    public Task<bool> DecideApprovalAsync(
        string approvalId, ApprovalState state, string userId, string userName, DateTimeOffset at, CancellationToken cancellationToken) =>
        Locked(() =>
        {
            if (!_approvals.TryGetValue(approvalId, out var approval) || approval.State != ApprovalState.Waiting)
            {
                return false;
            }

            (approval.State, approval.DecidedBy, approval.DecidedByName, approval.DecidedAt) = (state, userId, userName, at);
            return true;
        });

    public Task SetApprovalPreviewAsync(string approvalId, string previewId, CancellationToken cancellationToken) => Locked(() =>
    {
        if (_approvals.TryGetValue(approvalId, out var approval))
        {
            approval.PreviewId = previewId;
        }

        return true;
    });

    public Task<IReadOnlyList<PendingApproval>> GetExpiredApprovalsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<PendingApproval>>(() => _approvals.Values.Where(a => a.State == ApprovalState.Waiting && a.ExpiresAt <= now)
            .OrderBy(a => a.ExpiresAt).ThenBy(a => a.Id).Take(limit).Select(Copy).ToList());

    public Task MarkApprovalAcceptedAsync(string approvalId, CancellationToken cancellationToken) => Locked(() =>
    {
        if (_approvals.TryGetValue(approvalId, out var approval) && approval.State == ApprovalState.Approved)
        {
            approval.State = ApprovalState.Accepted;
        }

        return true;
    });

    public Task<int> PurgeApprovalsAsync(DateTimeOffset before, CancellationToken cancellationToken) => Locked(() =>
    {
        var old = _approvals.Values.Where(a => a.ExpiresAt < before && a.State != ApprovalState.Approved).Select(a => a.Id).ToList();
        return old.Count(_approvals.Remove);
    });

    public Task<IReadOnlyList<PendingApproval>> GetApprovedApprovalsAsync(CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<PendingApproval>>(() => _approvals.Values.Where(a => a.State == ApprovalState.Approved)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).Select(Copy).ToList());

    /// <summary>A deep copy, through the JSON the entities already round-trip as.</summary>
    private static T Copy<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(value))!;

    private Task<T> Locked<T>(Func<T> call)
    {
        lock (_gate)
        {
            return Task.FromResult(call());
        }
    }
}
