namespace Bridge.Forwarding;

/// <summary>Where a <see cref="PendingApproval"/> stands. Only <see cref="Waiting"/> can be decided, once.</summary>
internal enum ApprovalState
{
    Waiting,
    /// <summary>Sent or approved, and its accept not yet recorded: finished at start-up or at the next press.</summary>
    Approved,
    Accepted,
    Cancelled,
    Withdrawn,
    Expired,
}
