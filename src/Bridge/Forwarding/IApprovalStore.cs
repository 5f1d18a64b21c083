namespace Bridge.Forwarding;

/// <summary>
/// Sends held for approval (<see cref="PendingApproval"/>). Approvals go in and come out as copies; each call is
/// atomic, and a decision is a compare-and-set, so of two presses (or two replicas) exactly one wins.
/// </summary>
internal interface IApprovalStore
{
    Task AddApprovalAsync(PendingApproval approval, CancellationToken cancellationToken);

    Task<PendingApproval?> GetApprovalAsync(string approvalId, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a <see cref="ApprovalState.Waiting"/> approval to <paramref name="state"/>, recording who and when; true
    /// for the one call that moved it, false (changing nothing) when it was not waiting or does not exist.
    /// </summary>
    Task<bool> DecideApprovalAsync(
        string approvalId, ApprovalState state, string userId, string userName, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records where the preview was shown (<see cref="PendingApproval.PreviewId"/>).</summary>
    Task SetApprovalPreviewAsync(string approvalId, string previewId, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> approvals still waiting whose time ran out by <paramref name="now"/>, soonest expired first.</summary>
    Task<IReadOnlyList<PendingApproval>> GetExpiredApprovalsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Marks an <see cref="ApprovalState.Approved"/> approval <see cref="ApprovalState.Accepted"/>: its send is recorded.</summary>
    Task MarkApprovalAcceptedAsync(string approvalId, CancellationToken cancellationToken);

    /// <summary>Approvals approved whose accept was not recorded (a crash in between), oldest first.</summary>
    Task<IReadOnlyList<PendingApproval>> GetApprovedApprovalsAsync(CancellationToken cancellationToken);

    /// <summary>Retention: deletes the approvals that expired before <paramref name="before"/>, but never an approved one not yet accepted; returns how many.</summary>
    Task<int> PurgeApprovalsAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
