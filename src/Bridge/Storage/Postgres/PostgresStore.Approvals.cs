using Bridge.Forwarding;
using Npgsql;

namespace Bridge.Storage.Postgres;

/// <summary>Sends held for approval (<see cref="IApprovalStore"/>): one row each, decided by a conditional update.</summary>
internal sealed partial class PostgresStore : IApprovalStore
{
    private const string ApprovalColumns =
        "id, forward, groups, dedupe_key, needs_approver, state, decided_by, decided_by_name, decided_at, created_at, expires_at, send_at, zone_id, preview_id";

    public Task AddApprovalAsync(PendingApproval approval, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"INSERT INTO approvals ({ApprovalColumns}) VALUES ({Placeholders(1, 14)})",
            cancellationToken,
            approval.Id, Json(approval.Forward, PostgresJson.Default.Forward), Json(approval.Groups, PostgresJson.Default.ListApprovalGroup),
            approval.DedupeKey, approval.NeedsApprover, approval.State, approval.DecidedBy, approval.DecidedByName, approval.DecidedAt,
            approval.CreatedAt, approval.ExpiresAt, approval.SendAt, approval.ZoneId, approval.PreviewId);

    public async Task<PendingApproval?> GetApprovalAsync(string approvalId, CancellationToken cancellationToken) =>
        (await ReadAsync($"SELECT {ApprovalColumns} FROM approvals WHERE id = $1", ReadApproval, cancellationToken, approvalId)).SingleOrDefault();

    public async Task<bool> DecideApprovalAsync(
        string approvalId, ApprovalState state, string userId, string userName, DateTimeOffset at, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "UPDATE approvals SET state = $2, decided_by = $3, decided_by_name = $4, decided_at = $5 WHERE id = $1 AND state = $6",
            cancellationToken,
            approvalId, state, userId, userName, at, ApprovalState.Waiting) == 1;

    public Task SetApprovalPreviewAsync(string approvalId, string previewId, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE approvals SET preview_id = $2 WHERE id = $1", cancellationToken, approvalId, previewId);

    public Task<IReadOnlyList<PendingApproval>> GetExpiredApprovalsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        // The state written out, not a parameter, so the plan can use the partial index approvals_waiting.
        ReadAsync($"SELECT {ApprovalColumns} FROM approvals WHERE state = 'Waiting' AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2",
            ReadApproval, cancellationToken, now, limit);

    public Task MarkApprovalAcceptedAsync(string approvalId, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE approvals SET state = $2 WHERE id = $1 AND state = $3", cancellationToken,
            approvalId, ApprovalState.Accepted, ApprovalState.Approved);

    public Task<IReadOnlyList<PendingApproval>> GetApprovedApprovalsAsync(CancellationToken cancellationToken) =>
        ReadAsync($"SELECT {ApprovalColumns} FROM approvals WHERE state = $1 ORDER BY created_at, id", ReadApproval, cancellationToken,
            ApprovalState.Approved);

    public Task<int> PurgeApprovalsAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM approvals WHERE expires_at < $1 AND state <> $2", cancellationToken, before, ApprovalState.Approved);

    private static PendingApproval ReadApproval(NpgsqlDataReader row) => new()
    {
        Id = row.GetString(0),
        Forward = FromJson(row, 1, PostgresJson.Default.Forward),
        Groups = FromJson(row, 2, PostgresJson.Default.ListApprovalGroup),
        DedupeKey = row.GetString(3),
        NeedsApprover = row.GetBoolean(4),
        State = Enum.Parse<ApprovalState>(row.GetString(5)),
        DecidedBy = row.IsDBNull(6) ? null : row.GetString(6),
        DecidedByName = row.IsDBNull(7) ? null : row.GetString(7),
        DecidedAt = NullableTime(row, 8),
        CreatedAt = row.GetFieldValue<DateTimeOffset>(9),
        ExpiresAt = row.GetFieldValue<DateTimeOffset>(10),
        SendAt = NullableTime(row, 11),
        ZoneId = row.IsDBNull(12) ? null : row.GetString(12),
        PreviewId = row.IsDBNull(13) ? null : row.GetString(13),
    };
}
