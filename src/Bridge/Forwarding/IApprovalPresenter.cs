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

    /// <summary>An expired preview redrawn as it now stands, for everyone who sees it: an expiry has no press to answer.</summary>
    Task RedrawAsync(PendingApproval approval, CancellationToken cancellationToken);
}
