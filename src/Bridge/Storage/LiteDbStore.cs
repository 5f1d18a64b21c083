using System.Runtime.CompilerServices;
using Bridge.Forwarding;
using LiteDB;

namespace Bridge.Storage;

/// <summary>
/// The embedded store: one LiteDB file, one shared connection. Every call goes through one gate: LiteDB 5's page
/// cache is not safe under concurrent use ("pages in memory store must be non-shared",
/// https://github.com/litedb-org/LiteDB/issues/2252, https://github.com/litedb-org/LiteDB/issues/2817), and
/// its transactions belong to the calling thread. Transactions group the writes of one accept so a crash leaves all
/// or nothing. LiteDB has no async API: each call runs synchronously under the gate and returns a completed task,
/// which also keeps every transaction on one thread (nothing awaits inside one); only a file's upload observes the
/// cancellation token, between chunks.
/// </summary>
internal sealed class LiteDbStore : ILinkStore, IForwardStore, IMediaStore, ISettingStore, IDisposable
{
    /// <summary>How many rows a long read or purge reads per hold of the gate.</summary>
    internal const int SliceSize = 500;

    private readonly object _gate = new();
    private readonly StoreFile _file;
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<ChannelLink> _links;
    private readonly ILiteCollection<Forward> _forwards;
    private readonly ILiteCollection<DeliveryJob> _jobs;
    private readonly ILiteCollection<BsonDocument> _dedupe;
    private readonly ILiteCollection<BsonDocument> _settings;
    private readonly ILiteStorage<string> _media;

    public LiteDbStore(string path)
    {
        _file = StoreFile.Open(path);
        var mapper = new BsonMapper();
        mapper.Entity<ChannelLink>().Id(l => l.Id).Ignore(l => l.Channel);
        mapper.Entity<Forward>().Id(f => f.Id).Ignore(f => f.Channel).Ignore(f => f.RecordPending);
        mapper.Entity<DeliveryJob>().Id(j => j.Id, autoId: true).Ignore(j => j.GroupKey).Ignore(j => j.IsFinished).Ignore(j => j.NextPart).Ignore(j => j.MissingFiles);
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

        try
        {
            _db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, mapper);
        }
        catch (Exception exception)
        {
            // A damaged page fails in many ways, not only as a LiteException (a creation time out of range, say).
            _file.Dispose();
            throw StoreFile.Unreadable(Path.GetFullPath(path), exception);
        }

        _links = _db.GetCollection<ChannelLink>("links");
        _forwards = _db.GetCollection<Forward>("forwards");
        _jobs = _db.GetCollection<DeliveryJob>("jobs", BsonAutoId.Int64);
        _dedupe = _db.GetCollection("dedupe");
        _settings = _db.GetCollection("settings");
        _media = _db.GetStorage<string>("media_files", "media_chunks");

        // Each index costs page writes on every insert and update, so only these, for the reads that need them:
        // a channel's links on every accept;
        _links.EnsureIndex(l => l.ChannelId);
        // a forward's jobs (its outcome reply, the history purge);
        _jobs.EnsureIndex(j => j.ForwardId);
        // the unfinished jobs at start-up, without reading finished history;
        _jobs.EnsureIndex(j => j.Status);
        // the forwards waiting for their reply, polled by the reply poster and read at start-up.
        _forwards.EnsureIndex(f => f.ReplyState);
        // The history reads newest first along the id, in slices (QueryJobsAsync): indexes by channel or group could
        // not give that order, so files of earlier versions lose theirs.
        _jobs.DropIndex(nameof(DeliveryJob.ChannelId));
        _jobs.DropIndex(nameof(DeliveryJob.GroupId));
    }

    public Task<IReadOnlyList<ChannelLink>> GetLinksAsync(ChannelRef channel, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ChannelLink>>(() => LinksOf(channel));

    public Task<IReadOnlyList<ChannelLink>> ListLinksAsync(
        Platform? platform, string? channelId, string? groupId, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ChannelLink>>(() => _links.FindAll()
            .Where(l => platform is null || l.Platform == platform)
            .Where(l => channelId is null || l.ChannelId == channelId)
            .Where(l => groupId is null || l.GroupId == groupId)
            .OrderBy(l => l.Platform).ThenBy(l => l.ChannelId).ThenBy(l => l.CreatedAt)
            .ToList());

    public Task<bool> AddLinkAsync(ChannelLink link, CancellationToken cancellationToken) => Locked(() =>
    {
        if (LinksOf(link.Channel).Any(l => l.GroupId == link.GroupId && l.SessionId == link.SessionId))
        {
            return false;
        }

        _links.Insert(link);
        return true;
    });

    public Task<bool> RemoveLinkAsync(string linkId, CancellationToken cancellationToken) => Locked(() => _links.Delete(linkId));

    private List<ChannelLink> LinksOf(ChannelRef channel) =>
        _links.Find(l => l.ChannelId == channel.ChannelId)
            .Where(l => l.Platform == channel.Platform && l.WorkspaceId == channel.WorkspaceId)
            .OrderBy(l => l.CreatedAt)
            .ToList();

    public Task<AcceptResult> AcceptAsync(
        Forward forward, IReadOnlyList<ChannelLink> groups, string? dedupeKey, CancellationToken cancellationToken) => Locked(() =>
    {
        _db.BeginTrans();
        try
        {
            if (dedupeKey is not null)
            {
                dedupeKey = StoreKey.Bounded(dedupeKey);
                var seen = _dedupe.FindById(dedupeKey);
                if (seen is not null)
                {
                    _db.Rollback();
                    return new AcceptResult(false, seen["forwardId"].AsString);
                }

                _dedupe.Insert(new BsonDocument
                {
                    ["_id"] = dedupeKey,
                    ["forwardId"] = forward.Id,
                    ["at"] = forward.CreatedAt.UtcTicks,
                });
            }

            _forwards.Insert(forward);
            foreach (var link in groups)
            {
                _jobs.Insert(DeliveryJob.Pending(forward, link));
            }

            _db.Commit();
            return new AcceptResult(true, forward.Id);
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    });

    public Task<Forward?> GetForwardAsync(string forwardId, CancellationToken cancellationToken) =>
        Locked(() => OldForwardRows.Read(_forwards.FindById(forwardId)));

    public Task<Forward?> UpdateForwardAsync(string forwardId, Action<Forward> change, CancellationToken cancellationToken) =>
        Locked(() => ChangeForward(forwardId, change));

    private Forward? ChangeForward(string forwardId, Action<Forward> change)
    {
        var forward = OldForwardRows.Read(_forwards.FindById(forwardId));
        if (forward is null)
        {
            return null;
        }

        change(forward);
        _forwards.Update(forward);
        return forward;
    }

    public Task<IReadOnlyList<Forward>> GetForwardsToReplyAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Forward>>(() => PendingReplies()
            .Where(f => f.IsReplyDue(now))
            .OrderBy(f => f.CreatedAt)
            .ToList());

    public Task<int> MarkFinishedForwardsReadyAsync(CancellationToken cancellationToken) => Locked(() =>
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

    /// <summary>Read through the ReplyState index, so never the forwards already replied to (a test checks the plan).</summary>
    internal ILiteQueryable<Forward> ForwardsWaitingForReply() => _forwards.Query().Where(f => f.ReplyState == ReplyState.Pending);

    public Task<IReadOnlyList<DeliveryJob>> GetJobsAsync(string forwardId, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<DeliveryJob>>(() => JobsOf(forwardId));

    private List<DeliveryJob> JobsOf(string forwardId) => _jobs.Find(j => j.ForwardId == forwardId).OrderBy(j => j.Id).ToList();

    public Task<DeliveryJob?> GetJobAsync(long jobId, CancellationToken cancellationToken) =>
        Locked<DeliveryJob?>(() => _jobs.FindById(jobId));

    public Task<IReadOnlyList<DeliveryJob>> GetUnfinishedJobsAsync(CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<DeliveryJob>>(() => JobsWithStatus(DeliveryStatus.Pending).ToEnumerable()
            .Concat(JobsWithStatus(DeliveryStatus.Sending).ToEnumerable())
            .OrderBy(j => j.Id)
            .ToList());

    /// <summary>
    /// Read through the Status index, so start-up never reads finished history (a test checks the plan). One status per
    /// query: LiteDB 5 answers an "or" of two values with a scan of the whole collection.
    /// </summary>
    internal ILiteQueryable<DeliveryJob> JobsWithStatus(DeliveryStatus status) => _jobs.Query().Where(j => j.Status == status);

    public Task UpdateJobAsync(DeliveryJob job, CancellationToken cancellationToken) => Locked(() => _jobs.Update(job));

    public Task<int> MarkInterruptedSendsUnknownAsync(string error, DateTimeOffset now, CancellationToken cancellationToken) => Locked(() =>
    {
        var interrupted = JobsWithStatus(DeliveryStatus.Sending).ToList();
        foreach (var job in interrupted)
        {
            job.MarkInterrupted(error, now);
            _jobs.Update(job);
        }

        return interrupted.Count;
    });

    /// <summary>
    /// Newest first along the id, in slices of <see cref="SliceSize"/> jobs, each read under the gate and the gate released
    /// between them: a search that matches little reads much history, and accepts must not wait behind it. A page of
    /// recent history costs a slice, not the table.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryJob>> QueryJobsAsync(DeliveryQuery query, CancellationToken cancellationToken) =>
        await query.PageAsync(NewestJobsAsync(cancellationToken), cancellationToken);

    private async IAsyncEnumerable<DeliveryJob> NewestJobsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var before = long.MaxValue;
        while (true)
        {
            var slice = LockedValue(() => SliceBefore(before).ToList());
            foreach (var job in slice)
            {
                yield return job;
            }

            if (slice.Count < SliceSize)
            {
                yield break;
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
        _dedupe.Query().Where(Query.GT("_id", key)).OrderBy("_id").Limit(SliceSize);

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
        var purged = InTransaction(() =>
        {
            var count = 0;
            foreach (var forwardId in old.Where(j => j.IsFinished).Select(j => j.ForwardId).Distinct())
            {
                var forward = _forwards.FindById(forwardId);
                if (forward?.ReplyState == ReplyState.Pending || !JobsOf(forwardId).All(j => j.IsFinished))
                {
                    continue;
                }

                // Jobs whose forward is missing (none should be) go too, once they have all ended.
                _jobs.DeleteMany(j => j.ForwardId == forwardId);
                count += _forwards.Delete(forwardId) ? 1 : 0;
            }

            return count;
        });
        return old.Count < SliceSize ? (purged, afterJobId, true) : (purged, old[^1].Id, false);
    }

    public Task<int> PurgeDedupeKeysAsync(DateTimeOffset recordedBefore, CancellationToken cancellationToken) =>
        PurgeInSlicesAsync("", afterKey => PurgeDedupeKeys(afterKey, recordedBefore), cancellationToken);

    /// <summary>One slice of the keys, along their own _id index (no index on the time, which every accept would pay for).</summary>
    private (int Purged, string Next, bool Done) PurgeDedupeKeys(string afterKey, DateTimeOffset recordedBefore)
    {
        var slice = DedupeSliceAfter(afterKey).ToList();
        var old = slice.Where(k => k["at"].AsInt64 < recordedBefore.UtcTicks).Select(k => k["_id"]).ToList();
        var purged = InTransaction(() => old.Count(id => _dedupe.Delete(id)));
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
            var slice = LockedValue(() => purgeSlice(cursor));
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
    public Task<long> RebuildAsync(CancellationToken cancellationToken) => Locked(() => _db.Rebuild());

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

    private T InTransaction<T>(Func<T> writes)
    {
        _db.BeginTrans();
        try
        {
            var result = writes();
            _db.Commit();
            return result;
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    }

    public Task<bool> TryClaimAsync(string dedupeKey, DateTimeOffset at, CancellationToken cancellationToken)
    {
        dedupeKey = StoreKey.Bounded(dedupeKey);
        return Locked(() =>
        {
            if (_dedupe.FindById(dedupeKey) is not null)
            {
                return false;
            }

            _dedupe.Insert(new BsonDocument { ["_id"] = dedupeKey, ["at"] = at.UtcTicks });
            return true;
        });
    }

    public Task<bool> PingAsync(CancellationToken cancellationToken) => Locked(() =>
    {
        _settings.FindById("ping");
        return true;
    });

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

    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken) => Locked(() =>
        _settings.Upsert(new BsonDocument { ["_id"] = key, ["value"] = value }));

    public void Dispose()
    {
        lock (_gate)
        {
            _db.Dispose();
            _file.Dispose();
        }
    }

    private Task<T> Locked<T>(Func<T> call) => Task.FromResult(LockedValue(call));

    private T LockedValue<T>(Func<T> call)
    {
        lock (_gate)
        {
            return call();
        }
    }
}
