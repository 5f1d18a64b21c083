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

        _links.EnsureIndex(l => l.ChannelId);
        _jobs.EnsureIndex(j => j.ForwardId);
        _jobs.EnsureIndex(j => j.Status);
        _jobs.EnsureIndex(j => j.ChannelId);
        _jobs.EnsureIndex(j => j.GroupId);
        _forwards.EnsureIndex(f => f.ReplyState);
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

    private IEnumerable<Forward> PendingReplies() => _forwards.Find(f => f.ReplyState == ReplyState.Pending).Select(f => OldForwardRows.Read(f)!);

    public Task<IReadOnlyList<DeliveryJob>> GetJobsAsync(string forwardId, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<DeliveryJob>>(() => JobsOf(forwardId));

    private List<DeliveryJob> JobsOf(string forwardId) => _jobs.Find(j => j.ForwardId == forwardId).OrderBy(j => j.Id).ToList();

    public Task<DeliveryJob?> GetJobAsync(long jobId, CancellationToken cancellationToken) =>
        Locked<DeliveryJob?>(() => _jobs.FindById(jobId));

    public Task<IReadOnlyList<DeliveryJob>> GetUnfinishedJobsAsync(CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<DeliveryJob>>(() => _jobs
            .Find(j => j.Status == DeliveryStatus.Pending || j.Status == DeliveryStatus.Sending)
            .OrderBy(j => j.Id)
            .ToList());

    public Task UpdateJobAsync(DeliveryJob job, CancellationToken cancellationToken) => Locked(() => _jobs.Update(job));

    public Task<int> MarkInterruptedSendsUnknownAsync(string error, DateTimeOffset now, CancellationToken cancellationToken) => Locked(() =>
    {
        var interrupted = _jobs.Find(j => j.Status == DeliveryStatus.Sending).ToList();
        foreach (var job in interrupted)
        {
            job.MarkInterrupted(error, now);
            _jobs.Update(job);
        }

        return interrupted.Count;
    });

    /// <summary>Newest first, read lazily along the id index, so a page of recent history costs a page, not the table.</summary>
    public Task<IReadOnlyList<DeliveryJob>> QueryJobsAsync(DeliveryQuery query, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<DeliveryJob>>(() => query.Page(_jobs.Query().OrderByDescending(j => j.Id).ToEnumerable()).ToList());

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
