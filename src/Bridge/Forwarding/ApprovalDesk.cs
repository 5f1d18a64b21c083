using Microsoft.Extensions.Options;

namespace Bridge.Forwarding;

/// <summary>
/// Carries out a press on a preview: who may press what, expiry (checked at the press: an expired preview is marked
/// so then), and the one atomic decision in the store, so a double click or two replicas send once.
/// </summary>
internal sealed class ApprovalDesk(IApprovalStore approvals, Forwarder forwarder, TimeProvider time, IOptions<ApprovalOptions> options)
{
    public const string NoGroupLeft =
        "None of this preview's groups is linked to this channel any more (unlinked or paused since it was shown), so nothing was sent.";

    public const string Unknown = "Bridge does not know this preview any more; nothing was sent. Send the message again.";

    public async Task<ApprovalAnswer> PressAsync(
        string approvalId, ApprovalAction action, string userId, string userName, CancellationToken cancellationToken)
    {
        if (await approvals.GetApprovalAsync(approvalId, cancellationToken) is not { } approval)
        {
            return new ApprovalAnswer(null, Unknown);
        }

        if (approval.State == ApprovalState.Approved)
        {
            // Approved, but a crash or a lost store took its accept: finished now, once, by the dedupe key.
            var finished = await forwarder.AcceptApprovedAsync(approval, cancellationToken);
            return new ApprovalAnswer(await approvals.GetApprovalAsync(approvalId, cancellationToken) ?? approval, null, finished);
        }

        var now = time.GetUtcNow();
        if (approval.State == ApprovalState.Waiting && now >= approval.ExpiresAt)
        {
            // Ran out before the sweep came by (ApprovalExpiry): closed now, unless the sweep or another press just did.
            await approvals.DecideApprovalAsync(approvalId, ApprovalState.Expired, "", "", now, cancellationToken);
            approval = await approvals.GetApprovalAsync(approvalId, cancellationToken) ?? approval;
        }

        if (approval.State == ApprovalState.Expired)
        {
            return new ApprovalAnswer(approval, $"This preview expired at {ApprovalText.Time(approval.ExpiresAt)}; nothing was sent. Send the message again.");
        }

        if (approval.State != ApprovalState.Waiting)
        {
            return new ApprovalAnswer(approval, Decided(approval));
        }

        if (Refusal(approval, action, userId) is { } refusal)
        {
            return new ApprovalAnswer(approval, refusal);
        }

        var decision = action is ApprovalAction.Send or ApprovalAction.Approve ? ApprovalState.Approved
            : action == ApprovalAction.Cancel ? ApprovalState.Cancelled
            : ApprovalState.Withdrawn;
        if (decision == ApprovalState.Approved && (await forwarder.StillLinkedAsync(approval, cancellationToken)).Count == 0)
        {
            // Every group it showed was unlinked or paused since: closed, so no later press sends it anywhere.
            await approvals.DecideApprovalAsync(approvalId, ApprovalState.Cancelled, "", "Bridge", now, cancellationToken);
            return new ApprovalAnswer(await approvals.GetApprovalAsync(approvalId, cancellationToken) ?? approval, NoGroupLeft);
        }

        if (!await approvals.DecideApprovalAsync(approvalId, decision, userId, userName, now, cancellationToken))
        {
            // Another press won (a double click, another replica): its decision stands.
            var current = await approvals.GetApprovalAsync(approvalId, cancellationToken);
            return new ApprovalAnswer(current, current is null ? Unknown : Decided(current));
        }

        var decided = (await approvals.GetApprovalAsync(approvalId, cancellationToken))!;
        if (decision != ApprovalState.Approved)
        {
            return new ApprovalAnswer(decided, null);
        }

        var outcome = await forwarder.AcceptApprovedAsync(decided, cancellationToken);
        return new ApprovalAnswer(await approvals.GetApprovalAsync(approvalId, cancellationToken) ?? decided, null, outcome);
    }

    private string? Refusal(PendingApproval approval, ApprovalAction action, string userId)
    {
        var sender = approval.Forward.UserId;
        return action switch
        {
            ApprovalAction.Send or ApprovalAction.Cancel when approval.NeedsApprover =>
                "This send needs an approver: an approver other than the sender approves it, and the sender can withdraw it.",
            ApprovalAction.Send or ApprovalAction.Cancel when userId != sender =>
                "Only the person who asked to send this can send or cancel it.",
            ApprovalAction.Approve when !approval.NeedsApprover => "This send needs no approver: its sender sends or cancels it.",
            ApprovalAction.Approve when userId == sender || !options.Value.Approvers.Contains(userId, StringComparer.Ordinal) =>
                "Only an approver other than the sender can approve this send.",
            ApprovalAction.Withdraw when !approval.NeedsApprover => "This send needs no approver: its sender sends or cancels it.",
            ApprovalAction.Withdraw when userId != sender => "Only the sender can withdraw this send.",
            _ => null,
        };
    }

    private static string Decided(PendingApproval approval) =>
        ApprovalText.Status(approval, string.IsNullOrEmpty(approval.DecidedByName) ? "someone" : approval.DecidedByName!);
}
