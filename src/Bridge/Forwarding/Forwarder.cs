using Microsoft.Extensions.Options;

namespace Bridge.Forwarding;

/// <summary>Accepts a forward durably: one job per linked group, recorded before the inbound request is answered.</summary>
internal sealed class Forwarder(
    ILinkStore links,
    IForwardStore forwards,
    IDeliveryScheduler delivery,
    ApprovalGate approvals,
    IApprovalStore approvalStore,
    ScheduledSends schedules,
    StoreAvailability availability,
    TimeProvider time,
    IOptions<ForwardingOptions> options)
{
    /// <summary>
    /// Whether WhatsApp is configured, the store can record and the channel is linked: asked once, before the forward
    /// is built. A store known to be lost refuses at once, without waiting on its timeouts.
    /// </summary>
    public async Task<ForwardRoute> RouteAsync(ChannelRef channel, CancellationToken cancellationToken)
    {
        if (!options.Value.WhatsAppConfigured)
        {
            return new ForwardRoute(channel, [], new ForwardOutcome.WhatsAppNotConfigured());
        }

        if (availability.LostReason is { } lost)
        {
            return new ForwardRoute(channel, [], new ForwardOutcome.NotRecorded(lost));
        }

        try
        {
            var all = await links.GetLinksAsync(channel, cancellationToken);
            var active = all.Where(l => !l.Paused).ToList();
            var paused = all.Where(l => l.Paused).ToList();
            var refusal = all.Count == 0 ? new ForwardOutcome.NotLinked()
                : active.Count == 0 ? new ForwardOutcome.Paused(paused)
                : (ForwardOutcome?)null;
            return new ForwardRoute(channel, active, refusal) { Paused = paused };
        }
        catch (StoreUnavailableException exception)
        {
            return new ForwardRoute(channel, [], new ForwardOutcome.NotRecorded(exception.Reason));
        }
    }

    /// <summary>Routes and accepts in one, for a forward that cost no platform call to build.</summary>
    public async Task<ForwardOutcome> AcceptAsync(Forward forward, string? dedupeKey, CancellationToken cancellationToken) =>
        await AcceptAsync(forward, await RouteAsync(forward.Channel, cancellationToken), dedupeKey, cancellationToken);

    public async Task<ForwardOutcome> AcceptAsync(Forward forward, ForwardRoute route, string? dedupeKey, CancellationToken cancellationToken)
    {
        if (route.Refusal is { } refusal)
        {
            return refusal;
        }

        if (route.Channel != forward.Channel)
        {
            throw new ArgumentException("The route is another channel's.", nameof(route));
        }

        if (await approvals.HoldAsync(forward, route, dedupeKey, cancellationToken) is { } held)
        {
            return held;
        }

        return await AcceptWithoutApprovalAsync(forward, route.Groups, route.Paused, dedupeKey, cancellationToken);
    }

    /// <summary>
    /// What happens to an approved send: it is accepted now, so its jobs take their place in each group's order at
    /// approval, to the groups shown in its preview; a scheduled one is scheduled now for its time, and returns null.
    /// Run again for an approval whose accept a crash interrupted, the dedupe key finds the first accept, and the
    /// forward's id the first schedule.
    /// </summary>
    public async Task<ForwardOutcome?> AcceptApprovedAsync(PendingApproval approval, CancellationToken cancellationToken)
    {
        IReadOnlyList<ChannelLink> groups;
        try
        {
            groups = await StillLinkedAsync(approval, cancellationToken);
        }
        catch (StoreUnavailableException exception)
        {
            return new ForwardOutcome.NotRecorded(exception.Reason);
        }

        if (approval.Groups.Where(g => groups.All(l => l.Id != g.Link.Id)).Select(g => g.Link.GroupName).ToList() is { Count: > 0 } dropped)
        {
            approval.Forward.Notes.Add($"Not sent to {string.Join(", ", dropped)}: unlinked or paused after its preview was shown.");
        }

        ForwardOutcome? outcome = null;
        if (groups.Count == 0)
        {
            // Approved, then every group unlinked or paused before its accept (a crash between): nothing to send.
            outcome = new ForwardOutcome.NotLinked();
        }
        else if (approval.SendAt is { } sendAt)
        {
            try
            {
                // Null when an earlier finish scheduled it (a crash before it was marked accepted): done all the same.
                await schedules.ScheduleAsync(approval.Forward, groups, sendAt, approval.ZoneId ?? "UTC", approval.DedupeKey, cancellationToken);
            }
            catch (StoreUnavailableException exception)
            {
                return new ForwardOutcome.NotRecorded(exception.Reason);
            }
        }
        else
        {
            outcome = await AcceptWithoutApprovalAsync(approval.Forward, groups, [], approval.DedupeKey, cancellationToken);
        }

        if (outcome is null or ForwardOutcome.Accepted or ForwardOutcome.Duplicate or ForwardOutcome.NotLinked)
        {
            await approvalStore.MarkApprovalAcceptedAsync(approval.Id, CancellationToken.None);
        }

        return outcome;
    }

    /// <summary>
    /// The groups of the preview still linked to its channel, to the same group and not paused: an approval never
    /// sends to a group unlinked or paused after the preview was shown.
    /// </summary>
    public async Task<IReadOnlyList<ChannelLink>> StillLinkedAsync(PendingApproval approval, CancellationToken cancellationToken)
    {
        var linked = await links.GetLinksAsync(approval.Forward.Channel, cancellationToken);
        return [.. approval.Groups.Select(g => g.Link)
            .Where(shown => linked.Any(l => l.Id == shown.Id && l.SessionId == shown.SessionId && l.GroupId == shown.GroupId && !l.Paused))];
    }

    /// <summary>
    /// Accepts without asking for approval: a send approved already, or a schedule at its time (approved, where it
    /// needed it, when it was scheduled).
    /// </summary>
    public async Task<ForwardOutcome> AcceptWithoutApprovalAsync(
        Forward forward, IReadOnlyList<ChannelLink> groups, IReadOnlyList<ChannelLink> paused, string? dedupeKey, CancellationToken cancellationToken)
    {
        forward.CreatedAt = time.GetUtcNow();
        AcceptResult result;
        try
        {
            result = await forwards.AcceptAsync(forward, groups, dedupeKey, cancellationToken);
        }
        catch (StoreUnavailableException exception)
        {
            // Never a false "accepted": the person learns now that nothing will be sent.
            return new ForwardOutcome.NotRecorded(exception.Reason);
        }

        if (!result.Accepted)
        {
            return new ForwardOutcome.Duplicate(result.ForwardId, result.Jobs);
        }

        // Accepted is final: the jobs are read and scheduled even if the caller gives up now.
        delivery.Scheduled(forward, result.Jobs);
        return new ForwardOutcome.Accepted(forward.Id, groups, paused);
    }
}
