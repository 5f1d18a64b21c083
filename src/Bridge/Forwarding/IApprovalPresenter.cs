namespace Bridge.Forwarding;

/// <summary>Shows a held send's preview on the platform it came from: privately to the sender, or visibly for approvers.</summary>
internal interface IApprovalPresenter
{
    Platform Platform { get; }

    /// <summary>Shows the preview with its buttons; throws when it could not be shown.</summary>
    Task ShowAsync(PendingApproval approval, CancellationToken cancellationToken);
}
