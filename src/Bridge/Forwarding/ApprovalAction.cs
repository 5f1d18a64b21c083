namespace Bridge.Forwarding;

/// <summary>A button of a preview: Send and Cancel for the sender alone; Approve and Withdraw with approvers (four eyes).</summary>
internal enum ApprovalAction
{
    Send,
    Cancel,
    Approve,
    Withdraw,
}
