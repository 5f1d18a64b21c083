using Bridge.Forwarding;
using LiteDB;

namespace Bridge.Storage;

/// <summary>Sends held for approval (<see cref="IApprovalStore"/>): one document each, decided on the single writer, so atomically.</summary>
internal sealed partial class LiteDbStore : IApprovalStore
{
    /// <summary>Asked for at each call: the engine is opened again after a failure.</summary>
    private ILiteCollection<PendingApproval> Approvals => _db!.GetCollection<PendingApproval>("approvals");

    private static void MapApprovals(BsonMapper mapper)
    {
        mapper.Entity<PendingApproval>().Id(a => a.Id).Ignore(a => a.KnownPeople).Ignore(a => a.AllCountsKnown).Ignore(a => a.ScheduledFor);
        mapper.Entity<ApprovalGroup>();
    }

    public Task AddApprovalAsync(PendingApproval approval, CancellationToken cancellationToken) => Written(() => Approvals.Insert(approval));

    public Task<PendingApproval?> GetApprovalAsync(string approvalId, CancellationToken cancellationToken) =>
        Locked<PendingApproval?>(() => Approvals.FindById(approvalId));

    public Task<bool> DecideApprovalAsync(
        string approvalId, ApprovalState state, string userId, string userName, DateTimeOffset at, CancellationToken cancellationToken) =>
        Written(() =>
        {
            if (Approvals.FindById(approvalId) is not { State: ApprovalState.Waiting } approval)
            {
                return false;
            }

            (approval.State, approval.DecidedBy, approval.DecidedByName, approval.DecidedAt) = (state, userId, userName, at);
            return Approvals.Update(approval);
        });

    public Task SetApprovalPreviewAsync(string approvalId, string previewId, CancellationToken cancellationToken) => Written(() =>
    {
        if (Approvals.FindById(approvalId) is { } approval)
        {
            approval.PreviewId = previewId;
            Approvals.Update(approval);
        }

        return true;
    });

    /// <summary>Along the state index: the waiting approvals are the few not yet decided.</summary>
    public Task<IReadOnlyList<PendingApproval>> GetExpiredApprovalsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<PendingApproval>>(() => Approvals.Find(Query.EQ(nameof(PendingApproval.State), ApprovalState.Waiting.ToString()))
            .Where(a => a.ExpiresAt <= now).OrderBy(a => a.ExpiresAt).ThenBy(a => a.Id).Take(limit).ToList());

    public Task MarkApprovalAcceptedAsync(string approvalId, CancellationToken cancellationToken) => Written(() =>
    {
        if (Approvals.FindById(approvalId) is { State: ApprovalState.Approved } approval)
        {
            approval.State = ApprovalState.Accepted;
            Approvals.Update(approval);
        }

        return true;
    });

    public Task<int> PurgeApprovalsAsync(DateTimeOffset before, CancellationToken cancellationToken) => Written(() =>
    {
        var old = Approvals.FindAll().Where(a => a.ExpiresAt < before && a.State != ApprovalState.Approved).Select(a => a.Id).ToList();
        return old.Count(id => Approvals.Delete(id));
    });

    /// <summary>Read whole, along no index: this runs once at start-up.</summary>
    public Task<IReadOnlyList<PendingApproval>> GetApprovedApprovalsAsync(CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<PendingApproval>>(() => Approvals.FindAll().Where(a => a.State == ApprovalState.Approved)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToList());
}
