using Bridge.Forwarding;
using LiteDB;

namespace Bridge.Storage;

/// <summary>
/// The embedded store: one LiteDB file, one shared connection. Every call goes through one gate: LiteDB 5's page
/// cache is not safe under concurrent use ("pages in memory store must be non-shared", LiteDB#2252/#2817), and
/// its transactions belong to the calling thread. Transactions group the writes of one accept so a crash leaves all
/// or nothing.
/// </summary>
internal sealed class LiteDbStore : IBridgeStore, IDisposable
{
    private readonly object _gate = new();
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<ChannelLink> _links;
    private readonly ILiteCollection<Forward> _forwards;
    private readonly ILiteCollection<DeliveryJob> _jobs;
    private readonly ILiteCollection<BsonDocument> _dedupe;
    private readonly ILiteCollection<BsonDocument> _settings;
    private readonly ILiteStorage<string> _media;

    public LiteDbStore(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var mapper = new BsonMapper();
        mapper.Entity<ChannelLink>().Id(l => l.Id).Ignore(l => l.Channel);
        mapper.Entity<Forward>().Id(f => f.Id).Ignore(f => f.Channel).Ignore(f => f.RecordPending);
        mapper.Entity<DeliveryJob>().Id(j => j.Id, autoId: true).Ignore(j => j.GroupKey).Ignore(j => j.IsFinished).Ignore(j => j.NextPart).Ignore(j => j.MissingFiles);
        mapper.RegisterType(
            serialize: value => new BsonValue(value.UtcTicks),
            deserialize: bson => new DateTimeOffset(bson.AsInt64, TimeSpan.Zero));
        mapper.EnumAsInteger = false;
        // LiteDB's defaults would turn an empty text (a forward of files only) into null and trim texts people wrote.
        mapper.EmptyStringToNull = false;
        mapper.TrimWhitespace = false;
        // LiteDB 5.0.21 builds a type's mapping on first use and can hand a half-built one to a second thread, which
        // then fails on types without a default constructor (LiteDB issue 2536): build the nested types' mappings now.
        mapper.Entity<DeliveryAttempt>();
        mapper.Entity<Attachment>();
        mapper.Entity<ReplyTarget>();

        _db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, mapper);
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

    public IReadOnlyList<ChannelLink> GetLinks(ChannelRef channel) => Locked(() =>
        _links.Find(l => l.ChannelId == channel.ChannelId)
            .Where(l => l.Platform == channel.Platform && l.WorkspaceId == channel.WorkspaceId)
            .OrderBy(l => l.CreatedAt)
            .ToList());

    public IReadOnlyList<ChannelLink> ListLinks(Platform? platform = null, string? channelId = null, string? groupId = null) => Locked(() =>
        _links.FindAll()
            .Where(l => platform is null || l.Platform == platform)
            .Where(l => channelId is null || l.ChannelId == channelId)
            .Where(l => groupId is null || l.GroupId == groupId)
            .OrderBy(l => l.Platform).ThenBy(l => l.ChannelId).ThenBy(l => l.CreatedAt)
            .ToList());

    public bool AddLink(ChannelLink link)
    {
        lock (_gate)
        {
            if (GetLinks(link.Channel).Any(l => l.GroupId == link.GroupId && l.SessionId == link.SessionId))
            {
                return false;
            }

            _links.Insert(link);
            return true;
        }
    }

    public bool RemoveLink(string linkId) => Locked(() => _links.Delete(linkId));

    public AcceptResult Accept(Forward forward, IReadOnlyList<ChannelLink> groups, string? dedupeKey)
    {
        // LiteDB transactions belong to the calling thread; nothing in here awaits.
        lock (_gate)
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
                    _jobs.Insert(new DeliveryJob
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
                    });
                }

                _db.Commit();
                return new AcceptResult(true, forward.Id);
            }
            catch
            {
                _db.Rollback();
                throw;
            }
        }
    }

    public Forward? GetForward(string forwardId) => Locked(() => OldForwardRows.Read(_forwards.FindById(forwardId)));

    public Forward? UpdateForward(string forwardId, Action<Forward> change)
    {
        lock (_gate)
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
    }

    public IReadOnlyList<Forward> GetForwardsToReply(DateTimeOffset now) => Locked(() =>
        PendingReplies()
            .Where(f => f.OutcomeReady || f.RecordPending)
            .Where(f => f.NextReplyAt is null || f.NextReplyAt <= now)
            .OrderBy(f => f.CreatedAt)
            .ToList());

    public int MarkFinishedForwardsReady() => Locked(() =>
    {
        var count = 0;
        foreach (var forward in PendingReplies().Where(f => !f.OutcomeReady).ToList())
        {
            if (GetJobs(forward.Id).All(j => j.IsFinished))
            {
                UpdateForward(forward.Id, f => f.OutcomeReady = true);
                count++;
            }
        }

        return count;
    });

    private IEnumerable<Forward> PendingReplies() => _forwards.Find(f => f.ReplyState == ReplyState.Pending).Select(f => OldForwardRows.Read(f)!);

    public IReadOnlyList<DeliveryJob> GetJobs(string forwardId) => Locked(() =>
        _jobs.Find(j => j.ForwardId == forwardId).OrderBy(j => j.Id).ToList());

    public DeliveryJob? GetJob(long jobId) => Locked(() => _jobs.FindById(jobId));

    public IReadOnlyList<DeliveryJob> GetUnfinishedJobs() => Locked(() =>
        _jobs.Find(j => j.Status == DeliveryStatus.Pending || j.Status == DeliveryStatus.Sending).ToList());

    public void UpdateJob(DeliveryJob job) => Locked(() => _jobs.Update(job));

    public int MarkInterruptedSendsUnknown(string error, DateTimeOffset now) => Locked(() =>
    {
        var interrupted = _jobs.Find(j => j.Status == DeliveryStatus.Sending).ToList();
        foreach (var job in interrupted)
        {
            job.Status = DeliveryStatus.Unknown;
            job.Error = error;
            job.UpdatedAt = now;
            job.Attempts.Add(new DeliveryAttempt(now, job.NextPart, "interrupted", null, "Bridge stopped while sending"));
            _jobs.Update(job);
        }

        return interrupted.Count;
    });

    /// <summary>Newest first, read lazily along the id index, so a page of recent history costs a page, not the table.</summary>
    public IReadOnlyList<DeliveryJob> QueryJobs(DeliveryQuery query) => Locked(() =>
        _jobs.Query().OrderByDescending(j => j.Id).ToEnumerable()
            .Where(j => query.Platform is null || j.Platform == query.Platform)
            .Where(j => query.ChannelId is null || j.ChannelId == query.ChannelId)
            .Where(j => query.GroupId is null || j.GroupId == query.GroupId)
            .Where(j => query.Status is null || j.Status == query.Status)
            .Where(j => query.Since is null || j.CreatedAt >= query.Since)
            .Where(j => query.Until is null || j.CreatedAt <= query.Until)
            .Skip(query.Skip)
            .Take(query.Take)
            .ToList());

    public bool TryClaim(string dedupeKey, DateTimeOffset at)
    {
        dedupeKey = StoreKey.Bounded(dedupeKey);
        lock (_gate)
        {
            if (_dedupe.FindById(dedupeKey) is not null)
            {
                return false;
            }

            _dedupe.Insert(new BsonDocument { ["_id"] = dedupeKey, ["at"] = at.UtcTicks });
            return true;
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
            using (var target = new GatedStream(Locked(() => _media.OpenWrite(media.Id, media.FileName, metadata)), _gate))
            {
                await content.CopyToAsync(target, cancellationToken);
            }

            return media with { Length = Locked(() => _media.FindById(media.Id).Length) };
        }
        catch
        {
            Locked(() => _media.Delete(media.Id));
            throw;
        }
    }

    public StoredMedia? GetMedia(string mediaId) => Locked(() => _media.FindById(mediaId) is { } file ? ToMedia(file) : null);

    public Stream? OpenMedia(string mediaId) =>
        Locked(() => _media.FindById(mediaId)?.OpenRead()) is { } file ? new GatedStream(file, _gate) : null;

    public int PurgeExpiredMedia(DateTimeOffset now) => Locked(() =>
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

    public string? GetSetting(string key) => Locked(() => _settings.FindById(key)?["value"].AsString);

    public void SetSetting(string key, string value) => Locked(() =>
        _settings.Upsert(new BsonDocument { ["_id"] = key, ["value"] = value }));

    public bool Ping() => Locked(() =>
    {
        _settings.FindById("ping");
        return true;
    });

    public void Dispose()
    {
        lock (_gate)
        {
            _db.Dispose();
        }
    }

    private T Locked<T>(Func<T> call)
    {
        lock (_gate)
        {
            return call();
        }
    }
}
