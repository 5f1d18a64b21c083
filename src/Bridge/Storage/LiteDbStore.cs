using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Bridge.Forwarding;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Storage;

/// <summary>
/// The embedded store: one LiteDB file, one shared connection. Every call goes through one gate: LiteDB 5's page
/// cache is not safe under concurrent use ("pages in memory store must be non-shared",
/// https://github.com/litedb-org/LiteDB/issues/2252, https://github.com/litedb-org/LiteDB/issues/2817), and
/// its transactions belong to the calling thread. LiteDB has no async API: reads run synchronously under the gate and
/// return a completed task; only a file's upload observes the cancellation token, between chunks.
/// <para>
/// Writes are group-committed: each is queued, and one writer takes every write waiting, runs them in one transaction,
/// commits, and flushes LiteDB's log to stable storage (<see cref="StoreLog"/>) before any of their callers is
/// answered. Concurrent accepts thus share one commit and one fsync, and an accept is never answered before it is
/// durable. One batch's flush runs while the next batch commits, so the disk's sync and the engine's work overlap. A
/// write that fails on its own (a change that throws) is rolled back and the others run again alone. A failing disk or
/// engine (a full disk, a rollback that throws) discards the engine and opens the file again, so
/// nothing stays wedged; its callers get a <see cref="StoreUnavailableException"/>, and the store is ready again as
/// soon as a write succeeds.
/// </para>
/// </summary>
internal sealed partial class LiteDbStore : ILinkStore, IForwardStore, IMediaStore, ISettingStore, IAdminSessionStore, IScheduleStore, IDisposable
{
    /// <summary>Enough to share one commit among hundreds of concurrent accepts, few enough to keep the gate short.</summary>
    private const int MaxWritesPerCommit = 256;

    // Created directly, as DeliveryMetrics' meter is: the Prometheus exporter does not see factory-scoped meters.
    private static readonly Meter Meter = new("Bridge.Storage");
    private static readonly Counter<long> Commits = Meter.CreateCounter<long>("bridge.store.commits", description: "Group commits, each with one flush to disk");
    private static readonly Counter<long> CommittedWrites = Meter.CreateCounter<long>("bridge.store.writes", description: "Store writes committed and flushed");

    /// <summary>How many rows a long read or purge reads per hold of the gate.</summary>
    internal const int SliceSize = 500;

    /// <summary>The settings row each commit rewrites with an id of its own.</summary>
    private const string LastCommitKey = "store:last-commit";

    /// <summary>Far longer than any commit and flush takes on a working disk.</summary>
    private static readonly TimeSpan StalledCommit = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();

    /// <summary>The flush of the last batch committed, while it runs.</summary>
    private Task? _flushInFlight;
    private readonly Dictionary<string, BsonExpression> _parsed = [];
    private readonly string _path;
    private readonly StoreFile _file;
    private readonly BsonMapper _mapper;
    private readonly IDiskFlush _flush;
    private readonly StoreAvailability _availability;
    private readonly ILogger _logger;
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private LiteDatabase? _db;
    private StoreLog? _log;
    private ILiteCollection<ChannelLink> _links = null!;

    /// <summary>
    /// Every link as stored, read again after a link is written or the file opened. Every accept asks for its channel's
    /// links: reading them here, not under the gate, keeps an accept from waiting behind the commit under way. Set and
    /// cleared only under the gate, so a cleared list is read again only once the write that cleared it is committed or
    /// rolled back; never changed once set (callers get copies).
    /// </summary>
    private volatile IReadOnlyList<ChannelLink>? _allLinks;
    private ILiteCollection<Forward> _forwards = null!;
    private ILiteCollection<DeliveryJob> _jobs = null!;

    // Claims live in memory, read and written under the gate: the file is open in this one process only (direct mode
    // locks it), so no other replica shares it, and a restart starts with none, as it should after a crash.
    private readonly Dictionary<long, (string ReplicaId, DateTimeOffset Until)> _jobClaims = [];
    private readonly Dictionary<string, (string ReplicaId, DateTimeOffset Until)> _replyClaims = [];
    private ILiteCollection<BsonDocument> _dedupe = null!;
    private ILiteCollection<BsonDocument> _settings = null!;
    private ILiteCollection<BsonDocument> _revokedSessions = null!;
    private ILiteStorage<string> _media = null!;
    private volatile bool _writesFailing;

    /// <summary>When the commit under way started (a Stopwatch timestamp), 0 when none is.</summary>
    private long _commitStarted;

    public LiteDbStore(string path)
        : this(path, new DiskFlush(), new StoreAvailability(), NullLogger<LiteDbStore>.Instance)
    {
    }

    public LiteDbStore(string path, IDiskFlush flush, StoreAvailability availability, ILogger<LiteDbStore> logger)
    {
        _path = Path.GetFullPath(path);
        _flush = flush;
        _availability = availability;
        _logger = logger;
        _file = StoreFile.Open(_path);
        _mapper = NewMapper();
        try
        {
            Open();
        }
        catch (Exception exception)
        {
            // A damaged page fails in many ways, not only as a LiteException (a creation time out of range, say).
            _log?.Dispose();
            _file.Dispose();
            throw StoreFile.Unreadable(_path, exception);
        }

        _writer = Task.Run(WriteLoopAsync);
    }

    private static BsonMapper NewMapper()
    {
        var mapper = new BsonMapper();
        mapper.Entity<ChannelLink>().Id(l => l.Id).Ignore(l => l.Channel);
        mapper.Entity<Forward>().Id(f => f.Id).Ignore(f => f.Channel).Ignore(f => f.RecordPending);
        mapper.Entity<DeliveryJob>().Id(j => j.Id, autoId: true).Ignore(j => j.GroupKey).Ignore(j => j.IsFinished).Ignore(j => j.NextPart).Ignore(j => j.MissingFiles)
            .Ignore(j => j.ClaimedBy).Ignore(j => j.LeaseUntil).Ignore(j => j.IsRetryable);
        mapper.Entity<ScheduledSend>().Id(s => s.Id).Ignore(s => s.Channel).Ignore(s => s.IsWaiting).Ignore(s => s.When);
        mapper.RegisterType(
            serialize: value => new BsonValue(value.UtcTicks),
            deserialize: bson => new DateTimeOffset(bson.AsInt64, TimeSpan.Zero));
        mapper.EnumAsInteger = false;
        // Attachment kinds keep the lower-case words rows have always held ("image", "link"); LiteDB's own enum
        // mapping would write "Image" and could not read "image" back.
        mapper.RegisterType(
            serialize: kind => new BsonValue(kind.ToString().ToLowerInvariant()),
            deserialize: bson => Enum.Parse<MediaKind>(bson.AsString, ignoreCase: true));
        // LiteDB's defaults would turn an empty text (a forward of files only) into null and trim texts people wrote.
        mapper.EmptyStringToNull = false;
        mapper.TrimWhitespace = false;
        // LiteDB 5.0.21 builds a type's mapping on first use and can hand a half-built one to a second thread, which
        // then fails on types without a default constructor (https://github.com/litedb-org/LiteDB/issues/2536): build the
        // nested types' mappings now.
        mapper.Entity<DeliveryAttempt>();
        mapper.Entity<Attachment>();
        mapper.Entity<ReplyTarget>();
        MapApprovals(mapper);
        return mapper;
    }

    /// <summary>Opens the engine on the file (at start, and again after a failure); called under the gate or before any use.</summary>
    private void Open()
    {
        _allLinks = null;
        _log = StoreLog.Open(_path, _flush);
        _db = new LiteDatabase(new ConnectionString { Filename = _path, Connection = ConnectionType.Direct }, _mapper);
        _links = _db.GetCollection<ChannelLink>("links");
        _forwards = _db.GetCollection<Forward>("forwards");
        _jobs = _db.GetCollection<DeliveryJob>("jobs", BsonAutoId.Int64);
        _dedupe = _db.GetCollection("dedupe");
        _settings = _db.GetCollection("settings");
        _revokedSessions = _db.GetCollection("admin_session_revocations");
        _media = _db.GetStorage<string>("media_files", "media_chunks");

        // Each index costs page writes on every insert and update, so only these, for the reads that need them:
        // a channel's links on every accept;
        _links.EnsureIndex(l => l.ChannelId);
        // a forward's jobs (its outcome reply, the history purge);
        _jobs.EnsureIndex(j => j.ForwardId);
        // the unfinished jobs, by group and then age: read at start-up, and a claim reads only its group's older ones
        // (finished jobs all share the null key, never read);
        _jobs.EnsureIndex(UnfinishedIndex, Unfinished);
        // the forwards waiting for their reply: those whose reply step is due, polled by the reply poster, and all of
        // them at start-up.
        _forwards.EnsureIndex(ReplyWaitingIndex, ReplyWaiting);
        // the scheduled sends by state: the schedule worker reads the waiting ones at each look.
        Schedules.EnsureIndex(s => s.State);
        // the approvals by state: the expiry sweep reads the waiting ones each minute.
        Approvals.EnsureIndex(a => a.State);
        StoreDueTimes();

        // The history reads newest first along the id, in slices (QueryJobsAsync): indexes by channel or group could
        // not give that order, so files of earlier versions lose theirs.
        _jobs.DropIndex(nameof(DeliveryJob.ChannelId));
        _jobs.DropIndex(nameof(DeliveryJob.GroupId));
        // Unfinished replaced these two: a claim read every unfinished job of its group, a whole backlog per claim.
        _jobs.DropIndex(nameof(DeliveryJob.Status));
        _jobs.DropIndex("UnfinishedGroup");
        // ReplyWaiting replaced these two, one index to write instead of two.
        _forwards.DropIndex(nameof(Forward.ReplyState));
        _forwards.DropIndex(nameof(Forward.ReplyDueAt));
    }

    /// <summary>
    /// Stores the due time of every forward waiting for its reply whose stored one is not today's: rows written by an
    /// earlier version (or by one that ran after this one) have none. Checked at every open, not only when the index is
    /// created, so an upgrade that stopped part-way is finished at the next start; the waiting forwards are few.
    /// </summary>
    private void StoreDueTimes()
    {
        foreach (var row in _db!.GetCollection("forwards").Find(WaitingForReply).ToList())
        {
            var forward = OldForwardRows.Read(_mapper.ToObject<Forward>(row))!;
            if (row[nameof(Forward.ReplyDueAt)] != (forward.ReplyDueAt is { } due ? _mapper.Serialize(due) : BsonValue.Null))
            {
                _forwards.Update(forward);
            }
        }
    }

    public Task<IReadOnlyList<ChannelLink>> GetLinksAsync(ChannelRef channel, CancellationToken cancellationToken)
    {
        var all = _allLinks ?? LockedValue(() => _allLinks = _links.FindAll().ToList());
        return Task.FromResult<IReadOnlyList<ChannelLink>>(all
            .Where(l => l.Channel == channel)
            .OrderBy(l => l.CreatedAt)
            .Select(l => l.Copy())
            .ToList());
    }

    public Task<IReadOnlyList<ChannelLink>> ListLinksAsync(
        Platform? platform, string? channelId, string? groupId, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ChannelLink>>(() => _links.FindAll()
            .Where(l => platform is null || l.Platform == platform)
            .Where(l => channelId is null || l.ChannelId == channelId)
            .Where(l => groupId is null || l.GroupId == groupId)
            .OrderBy(l => l.Platform).ThenBy(l => l.ChannelId).ThenBy(l => l.CreatedAt)
            .ToList());

    public Task<bool> AddLinkAsync(ChannelLink link, CancellationToken cancellationToken) => Written(() =>
    {
        if (LinksOf(link.Channel).Any(l => l.GroupId == link.GroupId && l.SessionId == link.SessionId))
        {
            return false;
        }

        _links.Insert(link);
        _allLinks = null;
        return true;
    });

    public Task<LinkUpdate> UpdateLinkAsync(ChannelLink link, CancellationToken cancellationToken) => Written(() =>
    {
        if (_links.FindById(link.Id) is not { } stored)
        {
            return LinkUpdate.NotFound;
        }

        if (LinksOf(stored.Channel).Any(l => l.Id != link.Id && l.GroupId == link.GroupId && l.SessionId == link.SessionId))
        {
            return LinkUpdate.Duplicate;
        }

        (stored.SessionId, stored.GroupId, stored.GroupName, stored.Paused, stored.RequiresApproval) = (link.SessionId, link.GroupId, link.GroupName, link.Paused, link.RequiresApproval);
        _links.Update(stored);
        _allLinks = null;
        return LinkUpdate.Updated;
    });

    public Task<bool> RemoveLinkAsync(string linkId, CancellationToken cancellationToken) => Written(() =>
    {
        _allLinks = null;
        return _links.Delete(linkId);
    });

    /// <summary>Channel ids match exactly, as in every store (LiteDB's own comparison would ignore case).</summary>
    private List<ChannelLink> LinksOf(ChannelRef channel) =>
        _links.Find(l => l.ChannelId == channel.ChannelId)
            .Where(l => l.Channel == channel)
            .OrderBy(l => l.CreatedAt)
            .ToList();

    /// <summary>
    /// A query with its values as parameters. LiteDB compiles each expression text it has not seen (to a delegate the
    /// runtime must JIT), caching by text; Query.Between and Query.GT write the values into the text, so every call
    /// compiled anew (https://github.com/litedb-org/LiteDB/blob/v5.0.21/LiteDB/Client/Structures/Query.cs,
    /// https://github.com/litedb-org/LiteDB/blob/v5.0.21/LiteDB/Document/Expression/BsonExpression.cs). It still parses
    /// the text on every Create (20–30 µs here, on each claim and each reply poll), so each text is parsed once and only
    /// its values change: every query runs under the gate, one at a time, and is read out before the gate is released.
    /// </summary>
    private BsonExpression Parameterised(string expression, params BsonValue[] values)
    {
        if (!_parsed.TryGetValue(expression, out var parsed))
        {
            _parsed[expression] = parsed = BsonExpression.Create(expression);
        }

        for (var i = 0; i < values.Length; i++)
        {
            parsed.Parameters[i.ToString(CultureInfo.InvariantCulture)] = values[i];
        }

        return parsed;
    }

    public Task<AcceptResult> AcceptAsync(
        Forward forward, IReadOnlyList<ChannelLink> groups, string? dedupeKey, CancellationToken cancellationToken) => Written(() =>
    {
        // All or nothing: the writes of one commit share its transaction (see WriteLoopAsync).
        if (dedupeKey is not null && ClaimedBefore(StoreKey.Bounded(dedupeKey), forward.CreatedAt, forward.Id) is { } seen)
        {
            var earlierId = seen["forwardId"].AsString;
            return new AcceptResult(false, earlierId, JobsOf(earlierId));
        }

        _forwards.Insert(forward);
        var jobs = groups.Select(link => DeliveryJob.Pending(forward, link)).ToList();
        foreach (var job in jobs)
        {
            _jobs.Insert(job);
        }

        return new AcceptResult(true, forward.Id, jobs);
    });

    public Task<Forward?> GetForwardAsync(string forwardId, CancellationToken cancellationToken) =>
        Locked(() => OldForwardRows.Read(_forwards.FindById(forwardId)));

    public Task<Forward?> UpdateForwardAsync(string forwardId, Action<Forward> change, CancellationToken cancellationToken) =>
        Written(() => ChangeForward(forwardId, change));

    private Forward? ChangeForward(string forwardId, Action<Forward> change)
    {
        var forward = OldForwardRows.Read(_forwards.FindById(forwardId));
        if (forward is null)
        {
            return null;
        }

        var due = forward.ReplyDueAt;
        change(forward);
        if (forward.ReplyDueAt != due)
        {
            // The reply step it was claimed for is recorded: the next one is anyone's.
            _replyClaims.Remove(forwardId);
        }

        _forwards.Update(forward);
        return forward;
    }

    public Task<IReadOnlyList<Forward>> ClaimForwardsToReplyAsync(
        string replicaId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Forward>>(() =>
        {
            var claimed = ForwardsDueForReply(now).ToEnumerable()
                .Where(f => !_replyClaims.TryGetValue(f.Id, out var claim) || claim.ReplicaId == replicaId || claim.Until <= now)
                .Take(limit)
                .Select(f => OldForwardRows.Read(f)!)
                .ToList();
            foreach (var forward in claimed)
            {
                _replyClaims[forward.Id] = (replicaId, leaseUntil);
            }

            return claimed;
        });

    private const string ReplyWaitingIndex = "ReplyWaiting";

    /// <summary>
    /// A forward waiting for its reply: its due time (in ticks, as the mapper stores every DateTimeOffset) when a reply
    /// step is due, else -1; null once replied (or failed). Null sorts before every number (BsonValue.CompareTo,
    /// https://github.com/litedb-org/LiteDB/blob/v5.0.21/LiteDB/Document/BsonValue.cs), and -1 before every due time,
    /// so one index answers both "due by now" (ticks from 0 to now) and "all waiting" (from -1 on).
    /// </summary>
    private const string ReplyWaiting = "IIF($.ReplyState = 'Pending', COALESCE($.ReplyDueAt, -1), null)";

    private BsonExpression WaitingForReply => Parameterised(ReplyWaiting + " >= @0", -1);

    /// <summary>Along the ReplyWaiting index, earliest first (a test checks the plan).</summary>
    internal ILiteQueryable<Forward> ForwardsDueForReply(DateTimeOffset now) => _forwards.Query()
        .Where(Parameterised(ReplyWaiting + " BETWEEN @0 AND @1", _mapper.Serialize(DateTimeOffset.MinValue), _mapper.Serialize(now)))
        .OrderBy(Parameterised(ReplyWaiting));

    public Task<int> MarkFinishedForwardsReadyAsync(CancellationToken cancellationToken) => Written(() =>
    {
        var count = 0;
        foreach (var forward in PendingReplies().Where(f => !f.OutcomeReady).ToList())
        {
            if (JobsOf(forward.Id).All(j => j.IsFinished))
            {
                // Read under this same gate: updated as it is, not read again.
                forward.OutcomeReady = true;
                _forwards.Update(forward);
                count++;
            }
        }

        return count;
    });

    private IEnumerable<Forward> PendingReplies() => ForwardsWaitingForReply().ToEnumerable().Select(f => OldForwardRows.Read(f)!);

    /// <summary>Read through the ReplyWaiting index, so never the forwards already replied to (a test checks the plan).</summary>
    internal ILiteQueryable<Forward> ForwardsWaitingForReply() => _forwards.Query().Where(WaitingForReply);

    public Task<IReadOnlyList<DeliveryJob>> GetJobsAsync(string forwardId, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<DeliveryJob>>(() => JobsOf(forwardId));

    private List<DeliveryJob> JobsOf(string forwardId) => _jobs.Find(j => j.ForwardId == forwardId).OrderBy(j => j.Id).ToList();

    public Task<DeliveryJob?> GetJobAsync(long jobId, CancellationToken cancellationToken) =>
        Locked<DeliveryJob?>(() => WithClaim(_jobs.FindById(jobId)));

    private DeliveryJob? WithClaim(DeliveryJob? job)
    {
        if (job is not null && _jobClaims.TryGetValue(job.Id, out var claim))
        {
            (job.ClaimedBy, job.LeaseUntil) = claim;
        }

        return job;
    }

    public Task<IReadOnlyList<DeliveryJob>> GetUnfinishedJobsAsync(CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<DeliveryJob>>(() => UnfinishedJobs().ToEnumerable().OrderBy(j => j.Id).ToList());

    /// <summary>
    /// Every unfinished job, through the Unfinished index, so start-up never reads finished history (a test checks the
    /// plan). LiteDB orders null before every string (BsonValue.CompareTo,
    /// https://github.com/litedb-org/LiteDB/blob/v5.0.21/LiteDB/Document/BsonValue.cs), so "from the empty string on"
    /// is every key but the finished jobs' null. LiteDB runs it as an IndexRange from that key on, though its plan calls it
    /// an "INDEX SCAN" (https://github.com/litedb-org/LiteDB/blob/v5.0.21/LiteDB/Engine/Query/IndexQuery/IndexRange.cs).
    /// </summary>
    internal ILiteQueryable<DeliveryJob> UnfinishedJobs() => _jobs.Query().Where(Parameterised(Unfinished + " >= @0", ""));

    public Task UpdateJobAsync(DeliveryJob job, CancellationToken cancellationToken) => Written(() =>
    {
        if ((_jobClaims.TryGetValue(job.Id, out var claim) ? claim.ReplicaId : null) != job.ClaimedBy)
        {
            throw new JobClaimLostException(job.Id, job.ClaimedBy);
        }

        if (job.IsFinished)
        {
            _jobClaims.Remove(job.Id);
        }

        return _jobs.Update(job);
    });

    public Task<DeliveryJob?> TryClaimJobAsync(
        long jobId, string replicaId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        Locked(() =>
        {
            var job = WithClaim(_jobs.FindById(jobId));
            if (job is null || !job.IsClaimableBy(replicaId, now) || HasEarlierUnfinished(job))
            {
                return null;
            }

            _jobClaims[jobId] = (replicaId, leaseUntil);
            job.ClaimedBy = replicaId;
            job.LeaseUntil = leaseUntil;
            return job;
        });

    private const string UnfinishedIndex = "Unfinished";

    /// <summary>
    /// An unfinished job's group and then its id, zero-padded so that text order is age order within a group; null once
    /// finished. LiteDB indexes one value per document, so the two are joined into one text.
    /// </summary>
    private const string Unfinished =
        "IIF($.Status = 'Pending' OR $.Status = 'Sending', $.SessionId + '/' + $.GroupId + '/' + FORMAT($._id, 'D19'), null)";

    private static string UnfinishedKey(string groupKey, long jobId) => $"{groupKey}/{jobId:D19}";

    /// <summary>Whether the job's group has an older unfinished job.</summary>
    private bool HasEarlierUnfinished(DeliveryJob job) => EarlierUnfinishedJobs(job).Limit(1).ToEnumerable().Any();

    /// <summary>
    /// The unfinished jobs of the job's group older than it: one range of the Unfinished index, never the group's history
    /// nor the rest of its backlog (a test checks the plan).
    /// </summary>
    internal ILiteQueryable<DeliveryJob> EarlierUnfinishedJobs(DeliveryJob job) =>
        _jobs.Query().Where(Parameterised(Unfinished + " BETWEEN @0 AND @1", UnfinishedKey(job.GroupKey, 0), UnfinishedKey(job.GroupKey, job.Id - 1)));

    public Task<int> MarkInterruptedSendsUnknownAsync(string error, DateTimeOffset now, CancellationToken cancellationToken) => Written(() =>
    {
        var interrupted = UnfinishedJobs().ToEnumerable().Where(j => j.Status == DeliveryStatus.Sending).Select(j => WithClaim(j)!).Where(j => !j.IsLeased(now)).ToList();
        foreach (var job in interrupted)
        {
            job.MarkInterrupted(error, now);
            // Its claim goes, so that the replica which lost it cannot overwrite the report.
            _jobClaims.Remove(job.Id);
            _jobs.Update(job);
        }

        return interrupted.Count;
    });

    public Task<DeliveryJob?> RetryJobAsync(long jobId, string retriedBy, DateTimeOffset now, CancellationToken cancellationToken) => Written<DeliveryJob?>(() =>
    {
        // The one writer's gate makes the check and the insert one step; the forward's jobs are read along their index.
        var job = _jobs.FindById(jobId);
        if (job is null || !job.IsRetryable || JobsOf(job.ForwardId).Any(j => j.RetryOf == jobId))
        {
            return null;
        }

        var retry = job.Retry(retriedBy, now);
        _jobs.Insert(retry);
        ChangeForward(job.ForwardId, f => f.AwaitRetriedOutcome());
        return retry;
    });

    /// <summary>
    /// Newest first along the id, in slices of <see cref="SliceSize"/> jobs, each read and filtered under the gate and the
    /// gate released between them: a search that matches little reads much history, and accepts must not wait behind it.
    /// A page of recent history costs a slice, not the table; memory holds one slice, never the collection. A search by
    /// sender name or text also reads, by its primary key, the forward of each job its other filters let through: a search
    /// that matches little costs a read of every job and such forward (LiteDB has no text index to do better).
    /// </summary>
    public async Task<IReadOnlyList<DeliveryJob>> QueryJobsAsync(DeliveryQuery query, CancellationToken cancellationToken) =>
        await MatchingJobsAsync(query, cancellationToken).Skip(query.Skip).Take(query.Take).ToListAsync(cancellationToken);

    private async IAsyncEnumerable<DeliveryJob> MatchingJobsAsync(DeliveryQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var before = query.Before ?? long.MaxValue;
        while (true)
        {
            var (read, matching) = LockedValue(() =>
            {
                var slice = SliceBefore(before).ToList();
                return (slice, slice.Where(j => query.Matches(j, id => _forwards.FindById(id))).ToList());
            });
            foreach (var job in matching)
            {
                yield return job;
            }

            if (read.Count < SliceSize)
            {
                yield break;
            }

            before = read[^1].Id;
            await BetweenSlicesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Newest first along the id, slice by slice under the gate, until a slice reaches jobs created before
    /// <paramref name="since"/>: ids grow with creation time, so it reads the last days' jobs and one slice more, never
    /// the older history, and holds a slice in memory at a time.
    /// </summary>
    public async Task<IReadOnlyList<HourlyCount>> CountFinishedByHourAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        // Counted slice by slice: a week of history is never in memory at once.
        var counts = new Dictionary<(DateTimeOffset Hour, DeliveryStatus Status), int>();
        var before = long.MaxValue;
        while (true)
        {
            var slice = LockedValue(() => SliceBefore(before).ToList());
            foreach (var count in HourlyCount.Of(slice.Where(j => j.CreatedAt >= since)))
            {
                counts[(count.Hour, count.Status)] = counts.GetValueOrDefault((count.Hour, count.Status)) + count.Count;
            }

            if (slice.Count < SliceSize || slice[^1].CreatedAt < since)
            {
                return [.. counts.Select(c => new HourlyCount(c.Key.Hour, c.Key.Status, c.Value)).OrderBy(c => c.Hour).ThenBy(c => c.Status)];
            }

            before = slice[^1].Id;
            await BetweenSlicesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The slices read along the id index, each a seek and at most <see cref="SliceSize"/> steps, whatever the history's
    /// length (a test checks the plans).
    /// </summary>
    internal ILiteQueryableResult<DeliveryJob> SliceBefore(long jobId) =>
        _jobs.Query().Where(j => j.Id < jobId).OrderByDescending(j => j.Id).Limit(SliceSize);

    internal ILiteQueryableResult<DeliveryJob> SliceAfter(long jobId) => _jobs.Query().Where(j => j.Id > jobId).OrderBy(j => j.Id).Limit(SliceSize);

    internal ILiteQueryableResult<BsonDocument> DedupeSliceAfter(string key) =>
        _dedupe.Query().Where(Parameterised("_id > @0", key)).OrderBy("_id").Limit(SliceSize);

    public Task<int> PurgeFinishedForwardsAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken) =>
        PurgeInSlicesAsync(0L, afterJobId => PurgeFinishedForwards(afterJobId, createdBefore), cancellationToken);

    /// <summary>
    /// One slice of the purge: the oldest jobs after <paramref name="afterJobId"/>, in acceptance order, up to the first one
    /// created since <paramref name="createdBefore"/>. Each of their forwards whose reply is done and whose jobs all ended
    /// is deleted with its jobs, in one transaction.
    /// </summary>
    private (int Purged, long Next, bool Done) PurgeFinishedForwards(long afterJobId, DateTimeOffset createdBefore)
    {
        var slice = SliceAfter(afterJobId).ToList();
        var old = slice.TakeWhile(j => j.CreatedAt < createdBefore).ToList();
        var purged = 0;
        foreach (var forwardId in old.Where(j => j.IsFinished).Select(j => j.ForwardId).Distinct())
        {
            var forward = _forwards.FindById(forwardId);
            if (forward?.ReplyState == ReplyState.Pending || !JobsOf(forwardId).All(j => j.IsFinished))
            {
                continue;
            }

            // Jobs whose forward is missing (none should be) go too, once they have all ended.
            _jobs.DeleteMany(j => j.ForwardId == forwardId);
            purged += _forwards.Delete(forwardId) ? 1 : 0;
        }

        return old.Count < SliceSize ? (purged, afterJobId, true) : (purged, old[^1].Id, false);
    }

    public Task<int> PurgeDedupeKeysAsync(DateTimeOffset recordedBefore, CancellationToken cancellationToken) =>
        PurgeInSlicesAsync("", afterKey => PurgeDedupeKeys(afterKey, recordedBefore), cancellationToken);

    /// <summary>One slice of the keys, along their own _id index (no index on the time, which every accept would pay for).</summary>
    private (int Purged, string Next, bool Done) PurgeDedupeKeys(string afterKey, DateTimeOffset recordedBefore)
    {
        var slice = DedupeSliceAfter(afterKey).ToList();
        var old = slice.Where(k => k["at"].AsInt64 < recordedBefore.UtcTicks).Select(k => k["_id"]).ToList();
        var purged = old.Count(id => _dedupe.Delete(id));
        return slice.Count < SliceSize ? (purged, afterKey, true) : (purged, slice[^1]["_id"].AsString, false);
    }

    /// <summary>
    /// Runs one slice at a time under the gate, from <paramref name="cursor"/> on, each slice naming where the next one
    /// starts, until a slice says the pass is over; returns how many rows the slices deleted.
    /// </summary>
    private async Task<int> PurgeInSlicesAsync<TCursor>(
        TCursor cursor, Func<TCursor, (int Purged, TCursor Next, bool Done)> purgeSlice, CancellationToken cancellationToken)
    {
        var purged = 0;
        while (true)
        {
            // A write like any other: the slice's deletions share a group commit, all or nothing.
            var slice = await Written(() => purgeSlice(cursor));
            purged += slice.Purged;
            if (slice.Done)
            {
                return purged;
            }

            cursor = slice.Next;
            await BetweenSlicesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Rewrites the file without its free pages (LiteDB reuses them anyway); returns how many bytes it shrank by. Accepts
    /// wait at the gate meanwhile. LiteDB keeps the file as it was beside it, named &lt;name&gt;-backup.db
    /// (https://github.com/litedb-org/LiteDB/blob/master/LiteDB/Engine/Services/RebuildService.cs).
    /// </summary>
    public Task<long> RebuildAsync(CancellationToken cancellationToken) => Locked(() =>
    {
        var freed = _db!.Rebuild();
        // LiteDB closes and opens its files again to rebuild, deleting its empty log: the flush handle follows.
        _log!.Dispose();
        _log = StoreLog.Open(_path, _flush);
        return freed;
    });

    /// <summary>A test seam: called between two slices of a long read, while the gate is not held.</summary>
    internal Func<Task>? GateReleased { get; set; }

    private async Task BetweenSlicesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Queued behind the accepts already waiting at the gate: a thread that takes a lock again at once can beat them to it.
        await Task.Yield();
        if (GateReleased is { } gateReleased)
        {
            await gateReleased();
        }
    }

    public Task<bool> TryClaimAsync(string dedupeKey, DateTimeOffset at, CancellationToken cancellationToken)
    {
        dedupeKey = StoreKey.Bounded(dedupeKey);
        return Written(() => ClaimedBefore(dedupeKey, at, forwardId: null) is null);
    }

    /// <summary>Records the dedupe key, or returns the row that recorded it before (a retry), recording nothing.</summary>
    private BsonDocument? ClaimedBefore(string key, DateTimeOffset at, string? forwardId)
    {
        if (_dedupe.FindById(key) is { } earlier)
        {
            return earlier;
        }

        var row = new BsonDocument { ["_id"] = key, ["at"] = at.UtcTicks };
        if (forwardId is not null)
        {
            row["forwardId"] = forwardId;
        }

        _dedupe.Insert(row);
        return null;
    }

    public async Task<StoreState> CheckAsync(CancellationToken cancellationToken)
    {
        // A flush that never returns (a dead network volume) holds every write: only a restart can help then.
        if (Volatile.Read(ref _commitStarted) is var started and not 0 && Stopwatch.GetElapsedTime(started) > StalledCommit)
        {
            return StoreState.Wedged;
        }

        try
        {
            if (_writesFailing)
            {
                // Only a write shows whether writes work again (a read would succeed on a full disk); an empty one is
                // enough, since every commit writes its marker.
                await Written(() => true);
            }
            else
            {
                LockedValue(() => _settings.FindById(LastCommitKey));
            }

            return StoreState.Ready;
        }
        catch (StoreUnavailableException)
        {
            return _db is null ? StoreState.Wedged : StoreState.Unavailable;
        }
    }

    public async Task<StoredMedia> SaveMediaAsync(StoredMedia media, Stream content, CancellationToken cancellationToken)
    {
        var metadata = new BsonDocument
        {
            ["contentType"] = media.ContentType,
            ["expiresAt"] = media.ExpiresAt.UtcTicks,
        };
        try
        {
            // LiteFileStream writes a chunk each time its buffer fills, so memory stays at one chunk whatever the file size.
            // The gate is taken for each chunk written, never while waiting for the source (often a download).
            using (var target = new GatedStream(LockedValue(() => _media.OpenWrite(media.Id, media.FileName, metadata)), _gate))
            {
                await content.CopyToAsync(target, cancellationToken);
            }

            return media with { Length = LockedValue(() => _media.FindById(media.Id).Length) };
        }
        catch
        {
            LockedValue(() => _media.Delete(media.Id));
            throw;
        }
    }

    public Task<StoredMedia?> GetMediaAsync(string mediaId, CancellationToken cancellationToken) =>
        Locked(() => _media.FindById(mediaId) is { } file ? ToMedia(file) : null);

    public Task<Stream?> OpenMediaAsync(string mediaId, CancellationToken cancellationToken) =>
        Task.FromResult<Stream?>(LockedValue(() => _media.FindById(mediaId)?.OpenRead()) is { } file ? new GatedStream(file, _gate) : null);

    public Task<int> PurgeExpiredMediaAsync(DateTimeOffset now, CancellationToken cancellationToken) => Locked(() =>
    {
        var expired = _media.FindAll().Where(f => ToMedia(f).ExpiresAt <= now).Select(f => f.Id).ToList();
        foreach (var id in expired)
        {
            _media.Delete(id);
        }

        return expired.Count;
    });

    private static StoredMedia ToMedia(LiteFileInfo<string> file) => new(
        file.Id,
        file.Filename,
        file.Metadata["contentType"].AsString,
        new DateTimeOffset(file.Metadata["expiresAt"].AsInt64, TimeSpan.Zero),
        file.Length);

    public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken) =>
        Locked(() => _settings.FindById(key)?["value"].AsString);

    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken) => Written(() =>
        _settings.Upsert(new BsonDocument { ["_id"] = key, ["value"] = value }));

    public Task<string> GetOrAddSettingAsync(string key, string value, CancellationToken cancellationToken) => Written(() =>
    {
        if (_settings.FindById(key)?["value"].AsString is { } stored)
        {
            return stored;
        }

        _settings.Insert(new BsonDocument { ["_id"] = key, ["value"] = value });
        return value;
    });

    public Task RevokeAdminSessionAsync(string id, DateTimeOffset expiresAt, CancellationToken cancellationToken) => Written(() =>
        _revokedSessions.Upsert(new BsonDocument { ["_id"] = id, ["expiresAt"] = expiresAt.UtcTicks }));

    public Task<bool> IsAdminSessionRevokedAsync(string id, CancellationToken cancellationToken) =>
        Locked(() => _revokedSessions.FindById(id) is not null);

    // Few rows (one per sign-out within a session's lifetime), so no index on the expiry.
    public Task<int> PurgeAdminSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken) => Written(() =>
        _revokedSessions.DeleteMany(Query.LTE("expiresAt", now.UtcTicks)));

    public void Dispose()
    {
        // The writer finishes what was queued before it stops.
        _writes.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        lock (_gate)
        {
            _db?.Dispose();
            _log?.Dispose();
            _file.Dispose();
        }
    }

    private Task<T> Locked<T>(Func<T> call) => Task.FromResult(LockedValue(call));

    private T LockedValue<T>(Func<T> call)
    {
        lock (_gate)
        {
            EnsureOpen();
            try
            {
                return call();
            }
            catch (Exception exception) when (IsEngineFault(exception))
            {
                Reopen(exception);
                throw Unavailable(exception);
            }
        }
    }

    /// <summary>Queues a write for the next group commit; the task completes once it is on stable storage.</summary>
    private Task<T> Written<T>(Func<T> write)
    {
        var pending = new PendingWrite<T>(write);
        if (!_writes.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(LiteDbStore));
        }

        return pending.Task;
    }

    /// <summary>
    /// Takes every write waiting, commits them as one batch, and answers them once the flush of that commit ends. The
    /// flush runs while the next batch commits, so the disk syncs one batch while the engine writes the next; each
    /// batch is answered in turn, after its own flush.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        Flushing? flushing = null;
        while (true)
        {
            // Writes that arrive while the last batch flushes commit at once; with none, its writers are answered as
            // soon as its flush ends.
            if (flushing is not null
                && await Task.WhenAny(flushing.Flush, _writes.Reader.WaitToReadAsync().AsTask()).ConfigureAwait(false) == flushing.Flush)
            {
                await AnswerAsync(flushing).ConfigureAwait(false);
                flushing = null;
                Volatile.Write(ref _commitStarted, 0);
            }

            if (!await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                break;
            }

            var batch = new List<PendingWrite>(MaxWritesPerCommit);
            while (batch.Count < MaxWritesPerCommit && _writes.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            Volatile.Write(ref _commitStarted, Stopwatch.GetTimestamp());
            Flushing? committed = null;
            try
            {
                committed = Commit(batch);
            }
            catch (Exception exception)
            {
                // Never expected (Commit handles its failures); if it happens, these writes fail and the writer goes on.
                foreach (var write in batch)
                {
                    write.Fail(exception);
                }
            }

            if (flushing is not null)
            {
                await AnswerAsync(flushing).ConfigureAwait(false);
            }

            flushing = committed;
        }

        if (flushing is not null)
        {
            await AnswerAsync(flushing).ConfigureAwait(false);
        }

        Volatile.Write(ref _commitStarted, 0);
    }

    /// <summary>
    /// One transaction for the batch, whose flush then starts; null when nothing is left to flush (the batch failed,
    /// or its writes ran again alone and were answered).
    /// </summary>
    private Flushing? Commit(IReadOnlyList<PendingWrite> batch)
    {
        var (failure, log) = CommitUnderGate(batch);
        if (failure is null)
        {
            var flush = Task.Run(() => Flush(log!));
            Volatile.Write(ref _flushInFlight, flush);
            return new Flushing(batch, log!, flush);
        }

        if (!IsEngineFault(failure) && batch.Count > 1)
        {
            // One write's own error must not fail the others: each runs again, alone, and is answered here (rare).
            foreach (var write in batch)
            {
                if (Commit([write]) is { } alone)
                {
                    Answer(alone, alone.Flush.GetAwaiter().GetResult());
                }
            }

            return null;
        }

        Fail(batch, failure);
        return null;
    }

    private async Task AnswerAsync(Flushing flushing) => Answer(flushing, await flushing.Flush.ConfigureAwait(false));

    /// <summary>Each write's caller learns its own result only now, after its commit and that commit's flush.</summary>
    private void Answer(Flushing flushing, Exception? flushFailure)
    {
        if (flushFailure is null)
        {
            if (_writesFailing)
            {
                _writesFailing = false;
                Log.WritesRecovered(_logger);
            }

            Commits.Add(1);
            CommittedWrites.Add(flushing.Batch.Count);
            foreach (var write in flushing.Batch)
            {
                write.Succeed();
            }

            return;
        }

        // What the page cache holds may never reach the disk: start again from the file (unless a failure since
        // already did).
        lock (_gate)
        {
            if (ReferenceEquals(_log, flushing.Log))
            {
                Reopen(flushFailure);
            }
        }

        Fail(flushing.Batch, new IOException("The store's log could not be flushed to disk.", flushFailure));
    }

    private void Fail(IReadOnlyList<PendingWrite> batch, Exception failure)
    {
        var error = IsEngineFault(failure) ? Unavailable(failure) : failure;
        if (error is StoreUnavailableException unavailable && !_writesFailing)
        {
            _writesFailing = true;
            Log.WritesFailing(_logger, unavailable.Reason, failure.GetType().Name, LogValue.Clean(failure.Message));
        }

        foreach (var write in batch)
        {
            write.Fail(error);
        }
    }

    /// <summary>Outside the gate: reads and the next batch's commit go on while the disk syncs.</summary>
    private static Exception? Flush(StoreLog log)
    {
        try
        {
            log.Flush();
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    /// <summary>Runs the batch in one transaction and commits it; returns the failure, or the log the commit went to.</summary>
    private (Exception? Failure, StoreLog? Log) CommitUnderGate(IReadOnlyList<PendingWrite> batch)
    {
        lock (_gate)
        {
            var commit = Guid.NewGuid().ToString("N");
            var committing = false;
            try
            {
                EnsureOpen();
                _db!.BeginTrans();
                foreach (var write in batch)
                {
                    write.Run();
                }

                // Recorded with the batch: when Commit throws, reading it back says whether the batch was committed.
                _settings.Upsert(new BsonDocument { ["_id"] = LastCommitKey, ["value"] = commit });
                committing = true;
                _db.Commit();
                return (null, _log!);
            }
            catch (Exception exception)
            {
                Abandon(exception);
                // LiteDB confirms a transaction in its log before its automatic checkpoint, which can fail on a full
                // disk after the commit (TransactionService.Commit and WalIndexService.TryCheckpoint,
                // https://github.com/litedb-org/LiteDB/blob/v5.0.21/LiteDB/Engine/Services/TransactionService.cs): then
                // the reopened file has the batch, and its callers must hear that it was recorded, not the opposite.
                return !committing || !IsLastCommit(commit) ? (exception, null) : (null, _log!);
            }
        }
    }

    private bool IsLastCommit(string commit)
    {
        try
        {
            return _db is not null && _settings.FindById(LastCommitKey)?["value"].AsString == commit;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>Undoes a failed batch: a rollback when the engine is sound, otherwise (or when the rollback fails too) a reopen.</summary>
    private void Abandon(Exception failure)
    {
        if (!IsEngineFault(failure) && _db is not null)
        {
            try
            {
                _db.Rollback();
                return;
            }
            catch (Exception rollbackFailure)
            {
                failure = rollbackFailure;
            }
        }

        Reopen(failure);
    }

    private void EnsureOpen()
    {
        if (_db is null)
        {
            Reopen(null);
            if (_db is null)
            {
                throw Unavailable(new StoreUnavailableException("its file cannot be opened"));
            }
        }
    }

    /// <summary>
    /// Discards the engine, whatever state a failed commit left its pages and locks in (after a rollback that threw,
    /// every later write waited on a lock), and opens the file again: LiteDB replays only the committed transactions
    /// in its log. When the file cannot be opened, the store stays closed and the next call tries again.
    /// </summary>
    private void Reopen(Exception? cause)
    {
        // A batch committed before is being flushed through the log about to close: its writers must hear how that
        // flush went, not that the log closed under it (the flush never takes the gate, so this can't deadlock).
        Volatile.Read(ref _flushInFlight)?.Wait();
        if (_db is not null)
        {
            try
            {
                _db.Dispose();
            }
            catch (Exception)
            {
                // Closing a failed engine may fail too (its last checkpoint on a full disk); its files are closed regardless.
            }

            AbandonedEngine.ForgetTransactions(_db);
        }

        _log?.Dispose();
        _db = null;
        _log = null;
        try
        {
            Open();
            Log.Reopened(_logger, cause?.GetType().Name ?? "closed", LogValue.Clean(cause?.Message ?? ""));
        }
        catch (Exception exception)
        {
            _log?.Dispose();
            _db = null;
            _log = null;
            Log.ReopenFailed(_logger, exception.GetType().Name, LogValue.Clean(exception.Message));
        }
    }

    /// <summary>
    /// Failures of the disk or of the engine itself, as opposed to a write's own error: I/O errors (LiteDB closes its
    /// engine on one, https://github.com/litedb-org/LiteDB/blob/v5.0.21/LiteDB/Engine/EngineState.cs), a closed engine,
    /// a damaged data file, a lock never released.
    /// </summary>
    private static bool IsEngineFault(Exception exception) => exception is IOException or StoreUnavailableException or ObjectDisposedException
        || exception is LiteException { ErrorCode: LiteException.ENGINE_DISPOSED or LiteException.INVALID_DATAFILE_STATE or LiteException.LOCK_TIMEOUT };

    /// <summary>The failure as the store's being unavailable, which the replica learns at once (<see cref="StoreAvailability"/>).</summary>
    private StoreUnavailableException Unavailable(Exception exception)
    {
        var unavailable = exception switch
        {
            StoreUnavailableException known => known,
            _ when HasErrno(exception, NoSpace) || HasErrno(exception, QuotaExceeded) => new StoreUnavailableException("its disk is full", exception),
            _ when HasErrno(exception, ReadOnlyFileSystem) => new StoreUnavailableException("its disk is read-only", exception),
            _ => new StoreUnavailableException("its store failed", exception),
        };
        _availability.MarkLost(unavailable.Reason);
        return unavailable;
    }

    // On Linux, .NET gives an I/O error's errno as its HResult (ENOSPC, EDQUOT, EROFS in errno(3)).
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;
    private const int ReadOnlyFileSystem = 30;

    private static bool HasErrno(Exception? exception, int errno)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is IOException && exception.HResult == errno)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A batch committed to <see cref="Log"/>, whose writers are answered once <see cref="Flush"/> ends (with its failure, if any).</summary>
    private sealed record Flushing(IReadOnlyList<PendingWrite> Batch, StoreLog Log, Task<Exception?> Flush);

    private abstract class PendingWrite
    {
        public abstract void Run();

        public abstract void Succeed();

        public abstract void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<T> write) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _done.Task;

        public override void Run() => _result = write();

        public override void Succeed() => _done.TrySetResult(_result);

        public override void Fail(Exception exception) => _done.TrySetException(exception);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2601, Level = LogLevel.Error, Message = "The store cannot record writes ({Reason}): {Error} {Detail}. Nothing more is accepted until a write succeeds again; Bridge retries by itself.")]
        public static partial void WritesFailing(ILogger logger, string reason, string error, string detail);

        [LoggerMessage(EventId = 2602, Level = LogLevel.Information, Message = "The store records writes again.")]
        public static partial void WritesRecovered(ILogger logger);

        [LoggerMessage(EventId = 2603, Level = LogLevel.Warning, Message = "The store's engine was opened again after a failure: {Error} {Detail}")]
        public static partial void Reopened(ILogger logger, string error, string detail);

        [LoggerMessage(EventId = 2604, Level = LogLevel.Error, Message = "The store file could not be opened again: {Error} {Detail}")]
        public static partial void ReopenFailed(ILogger logger, string error, string detail);
    }
}
