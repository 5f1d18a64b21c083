using Microsoft.Extensions.Options;

namespace Bridge.Forwarding;

/// <summary>
/// Decides, after routing and before accepting, whether a send waits for approval: a group of at least
/// <see cref="ApprovalOptions.MinParticipants"/> members, or a link marked <see cref="ChannelLink.RequiresApproval"/>.
/// A group whose size WhatsApp cannot give (and never gave: <see cref="IGroupSizes"/>) is held only when its link requires approval.
/// </summary>
internal sealed class ApprovalGate(
    IApprovalStore approvals,
    IGroupSizes sizes,
    IEnumerable<IApprovalPresenter> presenters,
    TimeProvider time,
    IOptions<ApprovalOptions> options)
{
    /// <summary>The held send's outcome, or null when it goes now (or, with <paramref name="schedule"/>, is scheduled now).</summary>
    /// <param name="schedule">The time and zone of a send being scheduled: once approved, it is scheduled for then.</param>
    public async Task<ForwardOutcome?> HoldAsync(
        Forward forward, ForwardRoute route, string? dedupeKey, CancellationToken cancellationToken, (DateTimeOffset At, string ZoneId)? schedule = null)
    {
        var settings = options.Value;
        var flagged = route.Groups.Any(l => l.RequiresApproval);
        if (settings.MinParticipants == 0 && !flagged)
        {
            // Off: no look-up is spent on sizes nobody asked about.
            return null;
        }

        // Together, so a send to several groups waits for the slowest look-up, not for their sum.
        var counts = await Task.WhenAll(route.Groups.Select(link => sizes.MemberCountAsync(link, cancellationToken)));
        var groups = route.Groups.Select((link, i) => new ApprovalGroup { Link = link.Copy(), MemberCount = counts[i] }).ToList();

        if (!flagged && !groups.Any(g => g.MemberCount >= settings.MinParticipants))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var approval = new PendingApproval
        {
            Forward = forward,
            Groups = groups,
            NeedsApprover = settings.Approvers.Count > 0,
            CreatedAt = now,
            ExpiresAt = now + settings.Lifetime,
            SendAt = schedule?.At,
            ZoneId = schedule?.ZoneId,
        };
        approval.DedupeKey = dedupeKey ?? "approval:" + approval.Id;
        try
        {
            await approvals.AddApprovalAsync(approval, cancellationToken);
        }
        catch (StoreUnavailableException exception)
        {
            return new ForwardOutcome.NotRecorded(exception.Reason);
        }

        try
        {
            await presenters.Single(p => p.Platform == forward.Platform).ShowAsync(approval, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A preview nobody sees could never be sent: it is closed, and the sender told.
            await approvals.DecideApprovalAsync(approval.Id, ApprovalState.Cancelled, "", "Bridge", time.GetUtcNow(), CancellationToken.None);
            return new ForwardOutcome.PreviewFailed(exception.Message);
        }

        return new ForwardOutcome.AwaitingApproval(approval);
    }
}
