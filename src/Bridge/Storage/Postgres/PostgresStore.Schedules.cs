using Bridge.Forwarding;
using Npgsql;

namespace Bridge.Storage.Postgres;

/// <summary>Scheduled sends: a row each, the schedule as jsonb, its state and times as columns to read by.</summary>
internal sealed partial class PostgresStore : IScheduleStore
{
    private const string Waiting = "state IN ('Pending', 'Sending')";

    /// <summary>One transaction: the schedule goes in first, and out again when the key was claimed before.</summary>
    public Task<ScheduleAdded> AddScheduleAsync(ScheduledSend schedule, string? dedupeKey, CancellationToken cancellationToken) =>
        InTransactionAsync(async connection =>
        {
            if (await ExecuteAsync(
                    connection,
                    "INSERT INTO schedules (id, platform, workspace_id, channel_id, send_at, state, finished_at, schedule, created_at) "
                    + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
                    cancellationToken,
                    [.. ScheduleValues(schedule), schedule.CreatedAt]) == 0)
            {
                return ScheduleAdded.IdTaken;
            }

            if (dedupeKey is not null && await ExecuteAsync(
                    connection, ClaimKey, cancellationToken,
                    StoreKey.Bounded(dedupeKey), schedule.CreatedAt) == 0)
            {
                await ExecuteAsync(connection, "DELETE FROM schedules WHERE id = $1", cancellationToken, schedule.Id);
                return ScheduleAdded.Duplicate;
            }

            return ScheduleAdded.Added;
        }, cancellationToken);

    public async Task<ScheduledSend?> GetScheduleAsync(string id, CancellationToken cancellationToken) =>
        (await ReadAsync("SELECT schedule FROM schedules WHERE id = $1", ReadSchedule, cancellationToken, id)).SingleOrDefault();

    public Task<IReadOnlyList<ScheduledSend>> ListSchedulesAsync(ChannelRef? channel, bool waiting, int take, CancellationToken cancellationToken) =>
        ReadAsync(
            $"SELECT schedule FROM schedules WHERE {(waiting ? Waiting : "NOT " + Waiting)} "
            + "AND ($1::text IS NULL OR (platform = $1 AND workspace_id = $2 AND channel_id = $3)) "
            + (waiting ? "ORDER BY send_at, created_at, id" : "ORDER BY finished_at DESC") + " LIMIT $4",
            ReadSchedule,
            cancellationToken,
            channel?.Platform.ToString(), channel?.WorkspaceId, channel?.ChannelId, take);

    public Task<ScheduledSend?> UpdateScheduleAsync(string id, Func<ScheduledSend, bool> change, CancellationToken cancellationToken) =>
        InTransactionAsync<ScheduledSend?>(async connection =>
        {
            // The row lock makes a cancel and a firing take turns: the second sees what the first wrote.
            var schedule = (await ReadAsync(connection, "SELECT schedule FROM schedules WHERE id = $1 FOR UPDATE", ReadSchedule, cancellationToken, id))
                .SingleOrDefault();
            if (schedule is null || !change(schedule))
            {
                return null;
            }

            await ExecuteAsync(connection,
                "UPDATE schedules SET (platform, workspace_id, channel_id, send_at, state, finished_at, schedule) = ($2, $3, $4, $5, $6, $7, $8) WHERE id = $1",
                cancellationToken,
                ScheduleValues(schedule));
            return schedule;
        }, cancellationToken);

    public Task<int> PurgeFinishedSchedulesAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken) =>
        ExecuteAsync($"DELETE FROM schedules WHERE NOT {Waiting} AND finished_at < $1", cancellationToken, finishedBefore);

    private static object?[] ScheduleValues(ScheduledSend schedule) =>
    [
        schedule.Id, schedule.Forward.Platform, schedule.Forward.WorkspaceId, schedule.Forward.ChannelId, schedule.SendAt, schedule.State,
        schedule.FinishedAt, Json(schedule, PostgresJson.Default.ScheduledSend),
    ];

    private static ScheduledSend ReadSchedule(NpgsqlDataReader row) => FromJson(row, 0, PostgresJson.Default.ScheduledSend);
}
