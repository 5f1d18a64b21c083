using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Bridge.Forwarding;
using Bridge.WhatsApp;
using Npgsql;
using NpgsqlTypes;

namespace Bridge.Storage.Postgres;

/// <summary>
/// The store for several replicas: PostgreSQL, one schema (<see cref="StorageOptions.PostgresSchema"/>), brought up to
/// date by <see cref="Migrate"/> at start. Every call runs on a pooled connection; a call that changes several rows runs
/// in one transaction, and a write is durable once it commits (the server's default synchronous_commit=on). A database
/// that cannot be reached makes a call throw <see cref="StoreUnavailableException"/>, having recorded nothing.
/// <para>
/// Media files are rows of <see cref="ChunkSize"/> bytea chunks rather than large objects: a large object is read
/// inside one open transaction (a download at WhatsApp's pace would pin a connection for its whole length), is not
/// deleted with its row (orphans need lo_unlink), and Npgsql buffers a Stream parameter whole before sending it
/// (https://github.com/npgsql/npgsql/issues/5414). Chunks stream in and out one at a time and go with their file.
/// </para>
/// </summary>
internal sealed partial class PostgresStore(NpgsqlDataSource dataSource, string schema, TimeProvider time, StoreAvailability availability)
    : ILinkStore, IForwardStore, IMediaStore, ISettingStore, IAdminSessionStore, IPermitLog, IDisposable
{
    /// <summary>How many rows one slice of a purge deletes, so a purge never holds many locks for long.</summary>
    internal const int SliceSize = 500;

    /// <summary>Big enough for few round trips, small enough that a chunk is never a burden in memory.</summary>
    internal const int ChunkSize = 256 * 1024;

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How many statements each connection keeps prepared, unless the connection string says: about as many as the store runs often.</summary>
    internal const int AutoPrepared = 32;

    private const string LinkColumns = "id, platform, workspace_id, channel_id, session_id, group_id, group_name, created_by, created_at, paused, channel_name, requires_approval";

    private const string ForwardColumns = "id, platform, workspace_id, channel_id, user_id, user_name, text, attachments, notes, reply, "
        + "announce, outcome_ready, reply_state, reply_attempts, next_reply_at, created_at, replied_at, reply_route, reply_error, "
        + "post_in_flight, response_url_uses, channel_name";

    /// <summary>$1 … $n, one per forward column, in <see cref="ForwardValues"/>' order.</summary>
    private static readonly int ForwardValueCount = ForwardColumns.Split(',').Length;

    private static readonly string ForwardPlaceholders = Placeholders(1, ForwardValueCount);

    /// <summary>Every column of a job but its id, which the database assigns.</summary>
    private const string JobValueColumns = "forward_id, platform, workspace_id, channel_id, user_id, session_id, group_id, group_name, "
        + "status, message_ids, skipped_parts, attempts, error, next_attempt_at, created_at, updated_at, retry_of, retried_by";

    /// <summary>What a read returns: the id, the values and the claim (written only by claims, never by an update).</summary>
    private const string JobColumns = "id, " + JobValueColumns + ", claimed_by, lease_until";

    private static readonly int JobValueCount = JobValueColumns.Split(',').Length;

    private const string Unfinished = "status IN ('Pending', 'Sending')";

    /// <summary>
    /// The channel on which accepts and finished jobs are told to every replica listening (<see cref="ListenAsync"/>):
    /// one per schema, so Bridges sharing a database in different schemas do not wake each other.
    /// </summary>
    private string WorkChannel => "bridge_work_" + schema;

    /// <summary>A store on the configured database and schema. Opens no connection: <see cref="Migrate"/> is the first.</summary>
    public static PostgresStore Create(StorageOptions options, TimeProvider time, StoreAvailability availability)
    {
        var connection = new NpgsqlConnectionStringBuilder(options.PostgresConnectionString) { SearchPath = options.PostgresSchema };
        if (connection.MaxAutoPrepare == 0)
        {
            // The same few statements run on every command: prepared on each pooled connection after their fifth use,
            // they are no longer parsed and planned each time, also while an accept holds its group's lock
            // (https://www.npgsql.org/doc/prepare.html#automatic-preparation).
            connection.MaxAutoPrepare = AutoPrepared;
        }

        return new PostgresStore(NpgsqlDataSource.Create(connection), options.PostgresSchema, time, availability);
    }

    /// <summary>Where the store is, for the operator: never the connection string, which may hold a password.</summary>
    private string Location
    {
        get
        {
            var connection = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            return $"{connection.Host}:{connection.Port}/{connection.Database} (schema {schema})";
        }
    }

    /// <summary>Runs the migrations not run yet, waiting for another replica's; throws <see cref="StoreOpenException"/> when it cannot.</summary>
    public void Migrate(ILogger logger)
    {
        try
        {
            var applied = PostgresMigrator.Migrate(dataSource, schema);
            Log.Migrated(logger, Location, applied.Count, string.Join(", ", applied));
        }
        catch (Exception exception)
        {
            throw new StoreOpenException(
                $"The PostgreSQL store at {Location} cannot be opened: {LogValue.Clean(exception.Message)}", exception);
        }
    }

    // Links

    /// <summary>
    /// Every link (a small table), kept in memory while this replica listens (<see cref="ListenAsync"/>), so a command
    /// finds its channel's links without a round trip. A link change NOTIFYs every replica at its commit, and each drops
    /// its copy on hearing it: a change made on one replica is seen by all within the notice's delay (milliseconds),
    /// rather than after a time-to-live that would let an unlinked group receive messages for its length. Without a
    /// listener (not started yet, or its connection lost) nothing is kept and every read goes to the table; a connection
    /// lost without a word is found by the listener's probe. <see cref="_linksVersion"/> moves on with every change heard
    /// and when listening starts or stops, so a copy read before that is never kept.
    /// </summary>
    private volatile LinksCopy? _links;

    private long _linksVersion;

    private volatile bool _listening;

    private sealed record LinksCopy(long Version, IReadOnlyList<ChannelLink> Links);

    /// <summary>The notice a link change sends on <see cref="WorkChannel"/>.</summary>
    private const string LinksChanged = "links";

    public async Task<IReadOnlyList<ChannelLink>> GetLinksAsync(ChannelRef channel, CancellationToken cancellationToken)
    {
        var all = _links is { } copy && copy.Version == Volatile.Read(ref _linksVersion) ? copy.Links : await ReadLinksAsync(cancellationToken);
        return [.. all.Where(l => l.Channel == channel).Select(l => l.Copy())];
    }

    private async Task<IReadOnlyList<ChannelLink>> ReadLinksAsync(CancellationToken cancellationToken)
    {
        var version = Volatile.Read(ref _linksVersion);
        var links = await ReadAsync($"SELECT {LinkColumns} FROM links ORDER BY created_at, id", ReadLink, cancellationToken);
        if (_listening)
        {
            _links = new LinksCopy(version, links);
        }

        return links;
    }

    /// <summary>A link change, here or heard from another replica: the copy read before it is not used again.</summary>
    private void ForgetLinks() => Interlocked.Increment(ref _linksVersion);

    public Task<IReadOnlyList<ChannelLink>> ListLinksAsync(
        Platform? platform, string? channelId, string? groupId, CancellationToken cancellationToken) =>
        ReadAsync(
            $"SELECT {LinkColumns} FROM links WHERE ($1::text IS NULL OR platform = $1::text) "
            + "AND ($2::text IS NULL OR channel_id = $2::text) AND ($3::text IS NULL OR group_id = $3::text) "
            + "ORDER BY platform, channel_id, created_at, id",
            ReadLink,
            cancellationToken,
            platform, channelId, groupId);

    public Task<bool> AddLinkAsync(ChannelLink link, CancellationToken cancellationToken) =>
        ChangeLinksAsync(
            $"INSERT INTO links ({LinkColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING id",
            cancellationToken,
            link.Id, link.Platform, link.WorkspaceId, link.ChannelId, link.SessionId, link.GroupId, link.GroupName, link.CreatedBy, link.CreatedAt, link.Paused,
            link.ChannelName, link.RequiresApproval);

    public async Task<LinkUpdate> UpdateLinkAsync(ChannelLink link, CancellationToken cancellationToken)
    {
        // The channel's other links are checked in the statement, so a duplicate changes nothing and raises nothing; the
        // unique key still refuses one that races in, and that is a duplicate too.
        try
        {
            if (await ChangeLinksAsync(
                    "UPDATE links SET session_id = $2, group_id = $3, group_name = $4, paused = $5, requires_approval = $6 WHERE id = $1 AND NOT EXISTS ("
                    + "SELECT 1 FROM links other WHERE other.id <> $1 AND other.platform = links.platform AND other.workspace_id = links.workspace_id "
                    + "AND other.channel_id = links.channel_id AND other.session_id = $2 AND other.group_id = $3) RETURNING id",
                    cancellationToken,
                    link.Id, link.SessionId, link.GroupId, link.GroupName, link.Paused, link.RequiresApproval))
            {
                return LinkUpdate.Updated;
            }
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return LinkUpdate.Duplicate;
        }

        return (await ReadAsync("SELECT 1 FROM links WHERE id = $1", _ => true, cancellationToken, link.Id)).Count == 0
            ? LinkUpdate.NotFound
            : LinkUpdate.Duplicate;
    }

    public Task<bool> RemoveLinkAsync(string linkId, CancellationToken cancellationToken) =>
        ChangeLinksAsync("DELETE FROM links WHERE id = $1 RETURNING id", cancellationToken, linkId);

    /// <summary>
    /// Runs <paramref name="change"/> (a statement returning the id of the link it changed, if any) and, in the same
    /// statement, tells every replica when it commits.
    /// </summary>
    private async Task<bool> ChangeLinksAsync(string change, CancellationToken cancellationToken, params object?[] values)
    {
        var changed = await ReadAsync(
            $"WITH changed AS ({change}) SELECT pg_notify(${values.Length + 1}, ${values.Length + 2}) FROM changed",
            _ => true,
            cancellationToken,
            [.. values, WorkChannel, LinksChanged]);
        ForgetLinks();
        return changed.Count == 1;
    }

    private static ChannelLink ReadLink(NpgsqlDataReader row) => new()
    {
        Id = row.GetString(0),
        Platform = Enum.Parse<Platform>(row.GetString(1)),
        WorkspaceId = row.GetString(2),
        ChannelId = row.GetString(3),
        SessionId = row.GetString(4),
        GroupId = row.GetString(5),
        GroupName = row.GetString(6),
        CreatedBy = row.GetString(7),
        CreatedAt = row.GetFieldValue<DateTimeOffset>(8),
        Paused = row.GetBoolean(9),
        ChannelName = row.IsDBNull(10) ? null : row.GetString(10),
        RequiresApproval = row.GetBoolean(11),
    };

    // Accept and forwards

    /// <summary>
    /// One round trip: the statements go in one batch, which PostgreSQL runs as one implicit transaction that commits at
    /// the batch's end, or rolls back whole at its first error (https://www.npgsql.org/doc/api/Npgsql.NpgsqlBatchCommand.html,
    /// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-PIPELINING). So the group locks below are
    /// held while the server runs the batch and commits it, never across a network round trip.
    /// </summary>
    public async Task<AcceptResult> AcceptAsync(
        Forward forward, IReadOnlyList<ChannelLink> groups, string? dedupeKey, CancellationToken cancellationToken)
    {
        var key = dedupeKey is null ? null : StoreKey.Bounded(dedupeKey);
        var jobs = groups.Select(link => DeliveryJob.Pending(forward, link)).ToList();
        var accepted = await RunAsync(async connection =>
        {
            await using var batch = new NpgsqlBatch(connection);
            // The key's unique index is the dedupe: a concurrent accept with the same key waits on it, then finds the
            // row and inserts nothing (https://www.postgresql.org/docs/current/sql-insert.html#SQL-ON-CONFLICT); the
            // forward and its jobs below are then skipped, since the key names another forward.
            var dedupe = Add(batch, "INSERT INTO dedupe (key, forward_id, at) SELECT $1::text, $2, $3 WHERE $1::text IS NOT NULL ON CONFLICT (key) DO NOTHING",
                key, forward.Id, forward.CreatedAt);
            // Per-group order across replicas: job ids are drawn at insert but seen at commit, so two accepts of one group
            // could become visible out of id order, and a replica claiming the group's oldest unfinished job would then
            // send a later one first. The group's advisory lock is taken before the ids are drawn and let go at commit:
            // one group's accepts, on any replica, draw and commit in turns, so its job ids increase in the order they
            // become visible. Locks are taken in one order (unnest keeps the array's), so never a deadlock.
            Add(batch, "SELECT pg_advisory_xact_lock(hashtextextended(lock_key, 0)) FROM unnest($1::text[]) AS lock_key",
                (object)groups.Select(l => $"bridge:group:{schema}:{l.SessionId}/{l.GroupId}").Distinct().Order(StringComparer.Ordinal).ToArray());
            // One notice a job (its id and DeliveryJob.GroupKey), sent to the listeners at commit, never before
            // (https://www.postgresql.org/docs/current/sql-notify.html).
            // A forward for no group (Forwarder never asks for one) has no rows of jobs: VALUES cannot be empty.
            var jobRows = jobs.Count == 0
                ? $"SELECT {JobValueColumns} FROM jobs WHERE false"
                : "VALUES " + string.Join(", ", jobs.Select((_, i) => $"({Placeholders(ForwardValueCount + 3 + i * JobValueCount, JobValueCount)})"));
            Add(batch,
                $"WITH forward AS (INSERT INTO forwards ({ForwardColumns}) SELECT {ForwardPlaceholders} "
                + $"WHERE NOT EXISTS (SELECT 1 FROM dedupe WHERE key = ${ForwardValueCount + 2} AND forward_id IS DISTINCT FROM $1) RETURNING id), "
                + $"job AS (INSERT INTO jobs ({JobValueColumns}) SELECT * FROM ({jobRows}) AS v WHERE EXISTS (SELECT 1 FROM forward) RETURNING {JobColumns}) "
                + $"SELECT {JobColumns}, pg_notify(${ForwardValueCount + 1}, id || ' ' || session_id || '/' || group_id) FROM job ORDER BY id",
                [.. ForwardValues(forward), WorkChannel, key, .. jobs.SelectMany(JobValues)]);

            var recorded = new List<DeliveryJob>();
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                // The locks' result first (a void a group), then the jobs.
                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    recorded.Add(ReadJob(reader));
                }
            }

            return key is null || dedupe.RecordsAffected == 1 ? recorded : null;
        }, cancellationToken);
        if (accepted is not null)
        {
            return new AcceptResult(true, forward.Id, accepted);
        }

        // The key was recorded before (a retry): committed, since the insert waited for it.
        var earlierId = (await ReadAsync("SELECT forward_id FROM dedupe WHERE key = $1", row => row.IsDBNull(0) ? "" : row.GetString(0), cancellationToken, key))
            .SingleOrDefault() ?? "";
        return new AcceptResult(false, earlierId, await GetJobsAsync(earlierId, cancellationToken));
    }

    public async Task<Forward?> GetForwardAsync(string forwardId, CancellationToken cancellationToken) =>
        (await ReadAsync($"SELECT {ForwardColumns} FROM forwards WHERE id = $1", ReadForward, cancellationToken, forwardId)).SingleOrDefault();

    public Task<Forward?> UpdateForwardAsync(string forwardId, Action<Forward> change, CancellationToken cancellationToken) =>
        InTransactionAsync<Forward?>(async connection =>
        {
            // The row lock makes concurrent updates take turns, each changing what the one before wrote.
            var forward = (await ReadAsync(connection, $"SELECT {ForwardColumns} FROM forwards WHERE id = $1 FOR UPDATE", ReadForward, cancellationToken, forwardId))
                .SingleOrDefault();
            if (forward is null)
            {
                return null;
            }

            var due = forward.ReplyDueAt;
            change(forward);
            // A change of its due time records the reply step it was claimed for (or a new one): the claim ends with it.
            var release = forward.ReplyDueAt != due ? ", reply_claimed_by = NULL, reply_lease_until = NULL" : "";
            await ExecuteAsync(connection, $"UPDATE forwards SET ({ForwardColumns}) = ({ForwardPlaceholders}){release} WHERE id = $1", cancellationToken, ForwardValues(forward));
            return forward;
        }, cancellationToken);

    public async Task<IReadOnlyList<Forward>> ClaimForwardsToReplyAsync(
        string replicaId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken) =>
        // SKIP LOCKED: replicas claiming at once each take other rows rather than wait for one another
        // (https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE). RETURNING has no order.
        [.. (await ReadAsync(
                "UPDATE forwards SET reply_claimed_by = $1, reply_lease_until = $3 WHERE id IN (SELECT id FROM forwards WHERE reply_due_at <= $2 "
                + "AND (reply_claimed_by IS NULL OR reply_claimed_by = $1 OR reply_lease_until <= $2) ORDER BY reply_due_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) "
                + $"RETURNING {ForwardColumns}",
                ReadForward,
                cancellationToken,
                replicaId, now, leaseUntil, limit))
            .OrderBy(f => f.ReplyDueAt).ThenBy(f => f.Id, StringComparer.Ordinal)];

    public Task<int> MarkFinishedForwardsReadyAsync(CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE forwards f SET outcome_ready = true WHERE reply_state = 'Pending' AND NOT outcome_ready "
            + $"AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.forward_id = f.id AND j.{Unfinished})",
            cancellationToken);

    private static object?[] ForwardValues(Forward forward) =>
    [
        forward.Id, forward.Platform, forward.WorkspaceId, forward.ChannelId, forward.UserId, forward.UserName, forward.Text,
        Json(forward.Attachments, PostgresJson.Default.ListAttachment), Json(forward.Notes, PostgresJson.Default.ListString),
        Json(forward.Reply, PostgresJson.Default.ReplyTarget), forward.Announce, forward.OutcomeReady, forward.ReplyState,
        forward.ReplyAttempts, forward.NextReplyAt, forward.CreatedAt, forward.RepliedAt, forward.ReplyRoute, forward.ReplyError,
        forward.PostInFlight, forward.ResponseUrlUses, forward.ChannelName,
    ];

    private static Forward ReadForward(NpgsqlDataReader row) => new()
    {
        Id = row.GetString(0),
        Platform = Enum.Parse<Platform>(row.GetString(1)),
        WorkspaceId = row.GetString(2),
        ChannelId = row.GetString(3),
        UserId = row.GetString(4),
        UserName = row.GetString(5),
        Text = row.GetString(6),
        Attachments = FromJson(row, 7, PostgresJson.Default.ListAttachment),
        Notes = FromJson(row, 8, PostgresJson.Default.ListString),
        Reply = FromJson(row, 9, PostgresJson.Default.ReplyTarget),
        Announce = row.GetBoolean(10),
        OutcomeReady = row.GetBoolean(11),
        ReplyState = Enum.Parse<ReplyState>(row.GetString(12)),
        ReplyAttempts = row.GetInt32(13),
        NextReplyAt = NullableTime(row, 14),
        CreatedAt = row.GetFieldValue<DateTimeOffset>(15),
        RepliedAt = NullableTime(row, 16),
        ReplyRoute = Enum.Parse<ReplyRoute>(row.GetString(17)),
        ReplyError = row.IsDBNull(18) ? null : row.GetString(18),
        PostInFlight = row.GetBoolean(19),
        ResponseUrlUses = row.GetInt32(20),
        ChannelName = row.IsDBNull(21) ? null : row.GetString(21),
    };

    // Jobs

    public Task<IReadOnlyList<DeliveryJob>> GetJobsAsync(string forwardId, CancellationToken cancellationToken) =>
        ReadAsync($"SELECT {JobColumns} FROM jobs WHERE forward_id = $1 ORDER BY id", ReadJob, cancellationToken, forwardId);

    public async Task<DeliveryJob?> GetJobAsync(long jobId, CancellationToken cancellationToken) =>
        (await ReadAsync($"SELECT {JobColumns} FROM jobs WHERE id = $1", ReadJob, cancellationToken, jobId)).SingleOrDefault();

    public Task<IReadOnlyList<DeliveryJob>> GetUnfinishedJobsAsync(CancellationToken cancellationToken) =>
        ReadAsync($"SELECT {JobColumns} FROM jobs WHERE {Unfinished} ORDER BY id", ReadJob, cancellationToken);

    public async Task UpdateJobAsync(DeliveryJob job, CancellationToken cancellationToken)
    {
        if (await ExecuteAsync(
                $"UPDATE jobs SET ({JobValueColumns}) = ({Placeholders(2, JobValueCount)}) WHERE id = $1 AND claimed_by IS NOT DISTINCT FROM ${JobValueCount + 2}::text",
                cancellationToken,
                [job.Id, .. JobValues(job), job.ClaimedBy]) == 0)
        {
            if (await GetJobAsync(job.Id, cancellationToken) is not null)
            {
                throw new JobClaimLostException(job.Id, job.ClaimedBy);
            }

            return;
        }

        if (job.IsFinished)
        {
            // Its group's next job is free now: replicas waiting on it look at once rather than at their next poll.
            await ExecuteAsync("SELECT pg_notify($1, '')", cancellationToken, WorkChannel);
        }
    }

    /// <summary>
    /// The claim is one statement: the job's row is locked (skipped when another replica is claiming it now), and taken
    /// only when no older job of its group is unfinished, so a group never has two jobs running on two replicas.
    /// </summary>
    public async Task<DeliveryJob?> TryClaimJobAsync(
        long jobId, string replicaId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        (await ReadAsync(
            $"UPDATE jobs SET claimed_by = $2, lease_until = $4 WHERE id = (SELECT j.id FROM jobs j WHERE j.id = $1 AND j.{Unfinished} "
            + "AND (j.claimed_by IS NULL OR j.claimed_by = $2 OR j.lease_until <= $3) "
            + $"AND NOT EXISTS (SELECT 1 FROM jobs e WHERE e.session_id = j.session_id AND e.group_id = j.group_id AND e.id < j.id AND e.{Unfinished}) "
            + $"FOR UPDATE SKIP LOCKED) RETURNING {JobColumns}",
            ReadJob,
            cancellationToken,
            jobId, replicaId, now, leaseUntil)).SingleOrDefault();

    public Task<int> MarkInterruptedSendsUnknownAsync(string error, DateTimeOffset now, CancellationToken cancellationToken) =>
        InTransactionAsync(async connection =>
        {
            // A job another replica is sending under a live lease is its own; one whose lease ran out is reported, and its
            // claim cleared, so that the replica which lost it, should it still be running, has its updates refused.
            var interrupted = await ReadAsync(
                connection,
                $"SELECT {JobColumns} FROM jobs WHERE status = 'Sending' AND (claimed_by IS NULL OR lease_until <= $1) ORDER BY id FOR UPDATE SKIP LOCKED",
                ReadJob,
                cancellationToken,
                now);
            foreach (var job in interrupted)
            {
                job.MarkInterrupted(error, now);
                await ExecuteAsync(
                    connection,
                    $"UPDATE jobs SET ({JobValueColumns}, claimed_by, lease_until) = ({Placeholders(2, JobValueCount)}, NULL, NULL) WHERE id = $1",
                    cancellationToken,
                    [job.Id, .. JobValues(job)]);
            }

            return interrupted.Count;
        }, cancellationToken);

    /// <summary>
    /// One batch, so one implicit transaction and one round trip, as <see cref="AcceptAsync"/>: the group's lock first, so the
    /// retry's id is drawn and committed in the group's turn, like an accept's; the unique index on retry_of makes a
    /// second retry of the job, from any replica, insert nothing; the forward's outcome is pending again in the same commit.
    /// </summary>
    public async Task<DeliveryJob?> RetryJobAsync(long jobId, string retriedBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        await RunAsync(async connection =>
        {
            await using var batch = new NpgsqlBatch(connection);
            Add(batch, "SELECT pg_advisory_xact_lock(hashtextextended('bridge:group:' || $2 || ':' || session_id || '/' || group_id, 0)) FROM jobs WHERE id = $1",
                jobId, schema);
            Add(batch,
                $"WITH retry AS (INSERT INTO jobs ({JobValueColumns}) SELECT forward_id, platform, workspace_id, channel_id, user_id, session_id, group_id, "
                + "group_name, 'Pending', message_ids, skipped_parts, '[]', NULL, $2, $2, $2, id, $3 FROM jobs WHERE id = $1 AND status IN ('Failed', 'Unknown') "
                + $"ON CONFLICT (retry_of) WHERE retry_of IS NOT NULL DO NOTHING RETURNING {JobColumns}), "
                + "forward AS (UPDATE forwards SET outcome_ready = false, reply_state = 'Pending', reply_attempts = 0, next_reply_at = NULL, reply_error = NULL, "
                + "post_in_flight = false, reply_claimed_by = NULL, reply_lease_until = NULL WHERE id = (SELECT forward_id FROM retry)) "
                + $"SELECT {JobColumns}, pg_notify($4, id || ' ' || session_id || '/' || group_id) FROM retry",
                jobId, now, retriedBy, WorkChannel);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadJob(reader) : null;
        }, cancellationToken);

    /// <summary>
    /// Newest first along the primary key: a page of recent history reads that page, not the table. The sender's name and
    /// the text are the forward's, matched with ILIKE on the joined row, their wildcards escaped so they match as typed.
    /// </summary>
    public Task<IReadOnlyList<DeliveryJob>> QueryJobsAsync(DeliveryQuery query, CancellationToken cancellationToken) =>
        ReadAsync(
            $"SELECT {Qualified("j", JobColumns)} FROM jobs j JOIN forwards f ON f.id = j.forward_id "
            + "WHERE ($1::text IS NULL OR j.platform = $1::text) AND ($2::text IS NULL OR j.channel_id = $2::text) "
            + "AND ($3::text IS NULL OR j.group_id = $3::text) AND ($4::text IS NULL OR j.status = $4::text) "
            + "AND ($5::timestamptz IS NULL OR j.created_at >= $5::timestamptz) AND ($6::timestamptz IS NULL OR j.created_at <= $6::timestamptz) "
            + "AND ($9::text IS NULL OR lower(j.user_id) = lower($9::text) OR f.user_name ILIKE $10::text) AND ($11::text IS NULL OR f.text ILIKE $11::text) AND ($12::bigint IS NULL OR j.id < $12::bigint) "
            + "ORDER BY j.id DESC OFFSET $7 LIMIT $8",
            ReadJob,
            cancellationToken,
            query.Platform, query.ChannelId, query.GroupId, query.Status, query.Since, query.Until, query.Skip, query.Take,
            query.Sender, Contains(query.Sender), Contains(query.Text), query.Before);

    /// <summary>An ILIKE pattern for text containing <paramref name="value"/> as typed: its wildcards and the escape character escaped
    /// (https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-LIKE).</summary>
    private static string? Contains(string? value) =>
        value is null ? null : "%" + value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";

    private static string Qualified(string table, string columns) => string.Join(", ", columns.Split(", ").Select(c => table + "." + c));

    /// <summary>One query along jobs_by_created (0006): the last days' rows, grouped in the database.</summary>
    public async Task<IReadOnlyList<HourlyCount>> CountFinishedByHourAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        [.. (await ReadAsync(
            "SELECT date_trunc('hour', created_at AT TIME ZONE 'UTC') AS hour, status, count(*)::int FROM jobs "
            + "WHERE created_at >= $1 AND status IN ('Delivered', 'Failed', 'Unknown') GROUP BY 1, 2",
            row => new HourlyCount(new DateTimeOffset(DateTime.SpecifyKind(row.GetDateTime(0), DateTimeKind.Utc)), Enum.Parse<DeliveryStatus>(row.GetString(1)), row.GetInt32(2)),
            cancellationToken,
            since)).OrderBy(c => c.Hour).ThenBy(c => c.Status)];

    private static object?[] JobValues(DeliveryJob job) =>
    [
        job.ForwardId, job.Platform, job.WorkspaceId, job.ChannelId, job.UserId, job.SessionId, job.GroupId, job.GroupName, job.Status,
        Json(job.MessageIds, PostgresJson.Default.ListString), Json(job.SkippedParts, PostgresJson.Default.ListInt32),
        Json(job.Attempts, PostgresJson.Default.ListDeliveryAttempt), job.Error, job.NextAttemptAt, job.CreatedAt, job.UpdatedAt,
        // Typed: an untyped null in a VALUES row is read as text, which a bigint column refuses.
        new NpgsqlParameter { Value = (object?)job.RetryOf ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint }, job.RetriedBy,
    ];

    private static DeliveryJob ReadJob(NpgsqlDataReader row) => new()
    {
        Id = row.GetInt64(0),
        ForwardId = row.GetString(1),
        Platform = Enum.Parse<Platform>(row.GetString(2)),
        WorkspaceId = row.GetString(3),
        ChannelId = row.GetString(4),
        UserId = row.GetString(5),
        SessionId = row.GetString(6),
        GroupId = row.GetString(7),
        GroupName = row.GetString(8),
        Status = Enum.Parse<DeliveryStatus>(row.GetString(9)),
        MessageIds = FromJson(row, 10, PostgresJson.Default.ListString),
        SkippedParts = FromJson(row, 11, PostgresJson.Default.ListInt32),
        Attempts = FromJson(row, 12, PostgresJson.Default.ListDeliveryAttempt),
        Error = row.IsDBNull(13) ? null : row.GetString(13),
        NextAttemptAt = row.GetFieldValue<DateTimeOffset>(14),
        CreatedAt = row.GetFieldValue<DateTimeOffset>(15),
        UpdatedAt = row.GetFieldValue<DateTimeOffset>(16),
        RetryOf = row.IsDBNull(17) ? null : row.GetInt64(17),
        RetriedBy = row.IsDBNull(18) ? null : row.GetString(18),
        ClaimedBy = row.IsDBNull(19) ? null : row.GetString(19),
        LeaseUntil = NullableTime(row, 20),
    };

    // Dedupe claims and retention

    public async Task<bool> TryClaimAsync(string dedupeKey, DateTimeOffset at, CancellationToken cancellationToken) =>
        await ExecuteAsync(ClaimKey, cancellationToken, StoreKey.Bounded(dedupeKey), at) == 1;

    /// <summary>Claims a dedupe key ($1) at a time ($2): one row inserted, or none when it was claimed before.</summary>
    private const string ClaimKey = "INSERT INTO dedupe (key, at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING";

    /// <summary>Oldest first, a slice per transaction; the forward's jobs go with it (ON DELETE CASCADE).</summary>
    public Task<int> PurgeFinishedForwardsAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken) =>
        PurgeInSlicesAsync(
            "DELETE FROM forwards WHERE id IN (SELECT f.id FROM forwards f WHERE f.created_at < $1 AND f.reply_state <> 'Pending' "
            + $"AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.forward_id = f.id AND j.{Unfinished}) ORDER BY f.created_at, f.id LIMIT $2)",
            createdBefore,
            cancellationToken);

    public Task<int> PurgeDedupeKeysAsync(DateTimeOffset recordedBefore, CancellationToken cancellationToken) =>
        PurgeInSlicesAsync("DELETE FROM dedupe WHERE key IN (SELECT key FROM dedupe WHERE at < $1 LIMIT $2)", recordedBefore, cancellationToken);

    private async Task<int> PurgeInSlicesAsync(string deleteSlice, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var purged = 0;
        while (true)
        {
            var slice = await ExecuteAsync(deleteSlice, cancellationToken, before, SliceSize);
            purged += slice;
            if (slice < SliceSize)
            {
                return purged;
            }
        }
    }

    /// <summary>
    /// VACUUM FULL of every table: each is rewritten without its dead rows while its calls wait
    /// (https://www.postgresql.org/docs/current/sql-vacuum.html). Returns how many bytes the schema shrank by.
    /// </summary>
    public Task<long> RebuildAsync(CancellationToken cancellationToken) => RunAsync(async connection =>
    {
        const string size = "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'";
        await using var measure = Command(connection, size);
        var before = (long)(await measure.ExecuteScalarAsync(cancellationToken))!;
        await ExecuteAsync(connection, "VACUUM FULL links, forwards, jobs, dedupe, settings, media_files, media_chunks", cancellationToken);
        return before - (long)(await measure.ExecuteScalarAsync(cancellationToken))!;
    }, cancellationToken);

    /// <summary>
    /// Ready when the database answers within <see cref="CheckTimeout"/>; never wedged, since a restart does not bring
    /// a database back.
    /// </summary>
    public async Task<StoreState> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(CheckTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await ExecuteAsync("SELECT 1", linked.Token);
            return StoreState.Ready;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A database that does not answer within the timeout is as lost as one that refuses (RunAsync marks those).
            availability.MarkLost("its database cannot be reached");
            return StoreState.Unavailable;
        }
    }

    // Media

    /// <summary>
    /// In one transaction, so a source that fails leaves nothing behind; it holds its connection while the source is
    /// read (a download, at most Media:DownloadTimeout).
    /// </summary>
    public async Task<StoredMedia> SaveMediaAsync(StoredMedia media, Stream content, CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            return await InTransactionAsync(async connection =>
            {
                await ExecuteAsync(connection, "INSERT INTO media_files (id, file_name, content_type, expires_at) VALUES ($1, $2, $3, $4)",
                    cancellationToken, media.Id, media.FileName, media.ContentType, media.ExpiresAt);
                var length = 0L;
                for (var seq = 0; ; seq++)
                {
                    var filled = await content.ReadAtLeastAsync(chunk.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken);
                    if (filled > 0)
                    {
                        await ExecuteAsync(connection, "INSERT INTO media_chunks (media_id, seq, data) VALUES ($1, $2, $3)",
                            cancellationToken, media.Id, seq, new ReadOnlyMemory<byte>(chunk, 0, filled));
                        length += filled;
                    }

                    if (filled < ChunkSize)
                    {
                        break;
                    }
                }

                await ExecuteAsync(connection, "UPDATE media_files SET length = $2 WHERE id = $1", cancellationToken, media.Id, length);
                return media with { Length = length };
            }, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    public async Task<StoredMedia?> GetMediaAsync(string mediaId, CancellationToken cancellationToken) =>
        (await ReadAsync(
            "SELECT id, file_name, content_type, expires_at, length FROM media_files WHERE id = $1",
            row => new StoredMedia(row.GetString(0), row.GetString(1), row.GetString(2), row.GetFieldValue<DateTimeOffset>(3), row.GetInt64(4)),
            cancellationToken,
            mediaId)).SingleOrDefault();

    public async Task<Stream?> OpenMediaAsync(string mediaId, CancellationToken cancellationToken) =>
        await GetMediaAsync(mediaId, cancellationToken) is null ? null : new PostgresMediaStream(this, mediaId);

    /// <summary>Reads chunk <paramref name="seq"/> of the file into <paramref name="target"/>; 0 when there is no such chunk.</summary>
    internal Task<int> ReadChunkAsync(string mediaId, int seq, byte[] target, CancellationToken cancellationToken) => RunAsync(async connection =>
    {
        await using var command = Command(connection, "SELECT data FROM media_chunks WHERE media_id = $1 AND seq = $2", mediaId, seq);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return 0;
        }

        await using var data = await reader.GetFieldValueAsync<Stream>(0, cancellationToken);
        return await data.ReadAtLeastAsync(target.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken);
    }, cancellationToken);

    public Task<int> PurgeExpiredMediaAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM media_files WHERE expires_at <= $1", cancellationToken, now);

    // Settings

    public async Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken) =>
        (await ReadAsync("SELECT value FROM settings WHERE key = $1", row => row.GetString(0), cancellationToken, key)).SingleOrDefault();

    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", cancellationToken, key, value);

    // The no-op update makes the row come back whether this insert won or another's did; DO NOTHING would return no row.
    public async Task<string> GetOrAddSettingAsync(string key, string value, CancellationToken cancellationToken) =>
        (await ReadAsync(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = settings.value RETURNING value",
            row => row.GetString(0),
            cancellationToken,
            key, value)).Single();

    // Admin sessions

    public Task RevokeAdminSessionAsync(string id, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT INTO admin_session_revocations (id, expires_at) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at",
            cancellationToken, id, expiresAt);

    public async Task<bool> IsAdminSessionRevokedAsync(string id, CancellationToken cancellationToken) =>
        (await ReadAsync("SELECT 1 FROM admin_session_revocations WHERE id = $1", row => row.GetInt32(0), cancellationToken, id)).Count > 0;

    public Task<int> PurgeAdminSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM admin_session_revocations WHERE expires_at <= $1", cancellationToken, now);

    // Rate-limit permits

    /// <summary>
    /// One transaction under an advisory lock: replicas take turns to count and record, so two can never both see the
    /// last free permit (a count and an insert under READ COMMITTED could; SERIALIZABLE would abort one and need a
    /// retry). The lock is held for two statements and released at commit, or when a dead replica's connection goes.
    /// Times are the app's clock, not the database's: tests move a FakeTimeProvider, and the waits that follow a
    /// refusal are timed on the app's clock anyway. Replicas' clocks agree within milliseconds under NTP, far inside
    /// the limit's margin (5 % of the window, 3 s a minute).
    /// </summary>
    public Task<DateTimeOffset?> TryTakeAsync(int limit, int? lookupLimit, TimeSpan hold, DateTimeOffset now, CancellationToken cancellationToken) =>
        InTransactionAsync<DateTimeOffset?>(async connection =>
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", cancellationToken, "bridge:permits:" + schema);
            // Rows a hold older than any replica still counts go, so the table stays a window long.
            await ExecuteAsync(connection, "DELETE FROM rate_limit_permits WHERE at <= $1", cancellationToken, now - hold - hold);
            // The limit-th newest permit still held is the one whose leaving brings the count under the limit.
            var blocking = await ReadAsync(
                connection,
                "SELECT at FROM rate_limit_permits WHERE at > $1 ORDER BY at DESC OFFSET $2 LIMIT 1",
                row => row.GetFieldValue<DateTimeOffset>(0),
                cancellationToken,
                now - hold, limit - 1);
            if (lookupLimit is { } most)
            {
                blocking.AddRange(await ReadAsync(
                    connection,
                    "SELECT at FROM rate_limit_permits WHERE lookup AND at > $1 ORDER BY at DESC OFFSET $2 LIMIT 1",
                    row => row.GetFieldValue<DateTimeOffset>(0),
                    cancellationToken,
                    now - hold, most - 1));
            }

            if (blocking.Count > 0)
            {
                return blocking.Max() + hold;
            }

            await ExecuteAsync(connection, "INSERT INTO rate_limit_permits (at, lookup) VALUES ($1, $2)", cancellationToken, now, lookupLimit is not null);
            return null;
        }, cancellationToken);

    public async Task<int> CountHeldAsync(TimeSpan hold, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await ReadAsync("SELECT count(*)::int FROM rate_limit_permits WHERE at > $1", row => row.GetInt32(0), cancellationToken, now - hold)).Single();

    /// <summary>The Data Protection keys, in this database.</summary>
    public PostgresKeyRepository DataProtectionKeys { get; } = new(dataSource);

    /// <summary>
    /// Listens for the work other replicas record, on a connection of its own, until it fails or is cancelled:
    /// <paramref name="catchUp"/> runs once notices flow (for what came before), then each notice's payload goes to
    /// <paramref name="notice"/>; a link change's notice drops this store's copy of the links instead, which is kept only
    /// while this call listens. After <paramref name="probeEvery"/> without a notice, the connection is probed, so a
    /// dead one ends the call (to be called again) rather than waited on for ever, and <paramref name="catchUp"/> runs
    /// again: the slow poll behind the notices.
    /// </summary>
    public Task ListenAsync(Action<string> notice, Func<Task> catchUp, TimeSpan probeEvery, CancellationToken cancellationToken) =>
        RunAsync<bool>(async connection =>
        {
            connection.Notification += (_, e) =>
            {
                if (e.Payload == LinksChanged)
                {
                    ForgetLinks();
                }
                else
                {
                    notice(e.Payload);
                }
            };
            await ExecuteAsync(connection, "LISTEN " + WorkChannel, cancellationToken);
            try
            {
                // From here every link change is heard; a copy read before may have missed one.
                _listening = true;
                ForgetLinks();
                await catchUp();
                while (true)
                {
                    if (!await connection.WaitAsync(probeEvery, cancellationToken))
                    {
                        await ExecuteAsync(connection, "SELECT 1", cancellationToken);
                        await catchUp();
                    }
                }
            }
            finally
            {
                _listening = false;
                ForgetLinks();
            }
        }, cancellationToken);

    public void Dispose() => dataSource.Dispose();

    // Plumbing: every call on a pooled connection, its failures told apart (PostgresErrors).

    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await call(connection);
        }
        catch (Exception exception) when (PostgresErrors.Unavailable(exception) is { } unavailable)
        {
            // A timed-out call (a slow query, a pool exhausted by a burst) fails alone: the replica is not lost for it.
            // A database that really stopped answering is found by the readiness check, which marks it on its own timeout.
            if (exception is not NpgsqlException { InnerException: TimeoutException })
            {
                // The idle connections are as dead as this one (a restarted or failed-over server, a cut network), and
                // Npgsql finds that out only by using each: dropped now, the check that finds the database back opens a new one.
                dataSource.Clear();
                availability.MarkLost(unavailable.Reason);
            }

            throw unavailable;
        }
    }

    /// <summary>Runs <paramref name="work"/> in a transaction it commits; an exception rolls it back.</summary>
    private Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken) => RunAsync(async connection =>
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }, cancellationToken);

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] values) =>
        RunAsync(connection => ExecuteAsync(connection, sql, cancellationToken, values), cancellationToken);

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task<IReadOnlyList<T>> ReadAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object?[] values) =>
        RunAsync<IReadOnlyList<T>>(async connection => await ReadAsync(connection, sql, read, cancellationToken, values), cancellationToken);

    private static async Task<List<T>> ReadAsync<T>(
        NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>A command with positional parameters ($1, $2, …) in the order of <paramref name="values"/>.</summary>
    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(values.Select(Parameter).ToArray());
        return command;
    }

    /// <summary>Adds a statement to the batch, with positional parameters as <see cref="Command"/> has them.</summary>
    private static NpgsqlBatchCommand Add(NpgsqlBatch batch, string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(values.Select(Parameter).ToArray());
        batch.BatchCommands.Add(command);
        return command;
    }

    private static NpgsqlParameter Parameter(object? value) => value switch
    {
        NpgsqlParameter parameter => parameter,
        // Npgsql writes timestamptz from UTC values only; enums are stored by name.
        DateTimeOffset at => new NpgsqlParameter { Value = at.ToUniversalTime() },
        Enum name => new NpgsqlParameter { Value = name.ToString() },
        null => new NpgsqlParameter { Value = DBNull.Value },
        _ => new NpgsqlParameter { Value = value },
    };

    private static string Placeholders(int first, int count) => string.Join(", ", Enumerable.Range(first, count).Select(i => "$" + i));

    private static NpgsqlParameter Json<T>(T value, JsonTypeInfo<T> type) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = JsonSerializer.Serialize(value, type) };

    private static T FromJson<T>(NpgsqlDataReader row, int column, JsonTypeInfo<T> type) => JsonSerializer.Deserialize(row.GetString(column), type)!;

    private static DateTimeOffset? NullableTime(NpgsqlDataReader row, int column) =>
        row.IsDBNull(column) ? null : row.GetFieldValue<DateTimeOffset>(column);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2701, Level = LogLevel.Information, Message = "The PostgreSQL store at {Location} is up to date; {Count} migration(s) applied now: {Scripts}")]
        public static partial void Migrated(ILogger logger, string location, int count, string scripts);
    }
}
