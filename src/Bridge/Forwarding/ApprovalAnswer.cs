namespace Bridge.Forwarding;

/// <summary>
/// What a press on a preview did. <see cref="Approval"/> is as stored after it (the adapter redraws the preview from it;
/// null when no such approval exists), <see cref="Private"/> a sentence for the presser alone, and <see cref="Outcome"/>
/// the accept's outcome when this press sent it.
/// </summary>
internal sealed record ApprovalAnswer(PendingApproval? Approval, string? Private, ForwardOutcome? Outcome = null);
