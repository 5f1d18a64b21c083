using Bridge.Forwarding;

namespace Bridge.Commands;

/// <summary>
/// <c>send</c> (or text that starts with no command word): accepts the forward the adapter built on its route, or,
/// when its text starts with a time (<see cref="SendTime"/>), stores it to be accepted then.
/// </summary>
internal sealed class SendHandler(Forwarder forwarder, ApprovalGate approvals, ScheduledSends schedules, TimeProvider time)
{
    public async Task<string> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var route = request.Route ?? throw new ArgumentException("A send command carries its route.", nameof(request));
        if (route.Refusal is { } refusal)
        {
            return refusal.Describe(request.Usage, request.RepliesInThread);
        }

        var forward = request.Forward ?? throw new ArgumentException("A send command on an open route carries its forward.", nameof(request));
        // A message may be files alone (a Teams mention with a pasted image): only nothing at all is refused.
        if (string.IsNullOrWhiteSpace(forward.Text) && forward.Attachments.Count == 0)
        {
            return $"There is nothing to send. Type `{request.Usage} <text>`.";
        }

        var zone = ScheduledSend.Zone(request.TimeZone);
        if (SendTime.Read(forward.Text, zone, time.GetUtcNow()) is { } scheduled)
        {
            return await ScheduleAsync(request, route, forward, scheduled, zone, cancellationToken);
        }

        return (await forwarder.AcceptAsync(forward, route, request.DedupeKey, cancellationToken)).Describe(request.Usage, request.RepliesInThread);
    }

    private async Task<string> ScheduleAsync(
        CommandRequest request, ForwardRoute route, Forward forward, Scheduled scheduled, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var zoneSentence = zone == TimeZoneInfo.Utc && !string.Equals(request.TimeZone, "UTC", StringComparison.OrdinalIgnoreCase)
            ? $"Times are read as UTC: {request.Channel.Platform} did not say your time zone."
            : $"Times are read in your time zone, {zone.Id}.";
        if (scheduled.Refusal is { } refusal)
        {
            return $"Nothing was scheduled. {refusal} {zoneSentence}";
        }

        if (forward.Attachments.Count > 0)
        {
            // The files' links come from the platform and may expire before the time; they are fetched when sent.
            return "Nothing was scheduled: Bridge can schedule text only, and this message has files. Send the files now, or schedule the text alone.";
        }

        forward.Text = scheduled.Text;
        // Approval happens now, not when it goes: once approved, the preview schedules it.
        if (await approvals.HoldAsync(forward, route, request.DedupeKey, cancellationToken, (scheduled.At, zone.Id)) is { } held)
        {
            return held.Describe(request.Usage, request.RepliesInThread);
        }

        // The request's dedupe key is claimed with the schedule, in one step: a retry schedules nothing more.
        if (await schedules.ScheduleAsync(forward, route.Groups, scheduled.At, zone.Id, request.DedupeKey, cancellationToken) is not { } schedule)
        {
            return "This message was scheduled already.";
        }

        var groups = string.Join(", ", schedule.Groups.Select(g => g.GroupName));
        var where = !request.RepliesInThread ? "here"
            : forward.Announce && schedule.Forward.Reply.ThreadId is null ? "in the channel (Bridge could not post there now; else it tells you privately)"
            : "in the thread";
        return $"⏰ Scheduled for {schedule.When} to WhatsApp group{(schedule.Groups.Count == 1 ? "" : "s")} {groups} (id `{schedule.Id}`). {zoneSentence} "
            + $"The result will be posted {where} then. `{request.Usage} cancel {schedule.Id}` cancels it."
            + (route.Paused.Count == 0 ? "" : $" Not to {string.Join(", ", route.Paused.Select(l => l.GroupName))}: paused.");
    }
}
