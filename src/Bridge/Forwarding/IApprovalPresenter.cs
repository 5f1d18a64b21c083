namespace Bridge.Forwarding;

/// <summary>Shows a held send's preview on the platform it came from: privately to the sender, or visibly for approvers.</summary>
internal interface IApprovalPresenter
{
    Platform Platform { get; }

    /// <summary>
    /// Shows the preview with its buttons, and records where (<see cref="IApprovalStore.SetApprovalPreviewAsync"/>)
    /// when it can be redrawn later; throws when it could not be shown.
    /// </summary>
    Task ShowAsync(PendingApproval approval, CancellationToken cancellationToken);

    /// <summary>
    /// Redraws a decided or expired preview as it now stands, for everyone who sees it, where the press's own answer
    /// does not (a press on a Teams card redraws it for the presser alone; an expiry has no press).
    /// </summary>
    Task RedrawAsync(PendingApproval approval, CancellationToken cancellationToken);
}
