using Bridge.Forwarding;

namespace Bridge.Delivery;

/// <summary>
/// Accepts each scheduled send at its time, in (time, id) order, through the same accept as any send: its jobs' ids are
/// drawn then, so a group's scheduled sends keep their times' order, and a pending one holds up nothing in its group's
/// queue. It sleeps until the earliest time on the clock Bridge runs on, and looks again whenever a schedule is stored
/// or cancelled here (<see cref="ScheduledSends.NextChangeAsync"/>) or <see cref="Poll"/> passes, which finds schedules other replicas stored.
/// </summary>
internal sealed partial class ScheduleWorker(
    IScheduleStore store,
    ILinkStore links,
    ScheduledSends schedules,
    Forwarder forwarder,
    TimeProvider time,
    ILogger<ScheduleWorker> logger) : BackgroundService
{
    /// <summary>At the latest this often it reads the store again: a schedule another replica stored, or one this replica failed to accept.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(15);

    /// <summary>A send accepted more than this after its time says it is late, and why.</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromMinutes(1);

    private const int Batch = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before reading, so a schedule stored while reading makes it read once more.
            var woken = schedules.NextChangeAsync();
            TimeSpan wait;
            try
            {
                wait = await FireDueAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The store lost, say: what is due stays waiting, and goes once the store answers again.
                Log.FiringFailed(logger, exception.GetType().Name, LogValue.Clean(exception.Message));
                wait = Poll;
            }

            using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            await Task.WhenAny(woken, Task.Delay(wait, time, sleep.Token));
            await sleep.CancelAsync();
        }
    }

    /// <summary>Accepts every schedule that is due; returns how long to sleep until the next one (at most <see cref="Poll"/>).</summary>
    private async Task<TimeSpan> FireDueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var waiting = await store.ListSchedulesAsync(null, waiting: true, Batch, cancellationToken);
            foreach (var schedule in waiting)
            {
                var now = time.GetUtcNow();
                if (schedule.SendAt > now)
                {
                    return schedule.SendAt - now < Poll ? schedule.SendAt - now : Poll;
                }

                await FireAsync(schedule, now, cancellationToken);
            }

            if (waiting.Count < Batch)
            {
                return Poll;
            }
        }
    }

    private async Task FireAsync(ScheduledSend schedule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Cancellable no longer: of a cancel and this, exactly one changes the stored state.
        var sending = await store.UpdateScheduleAsync(schedule.Id, s =>
        {
            if (!s.IsWaiting)
            {
                return false;
            }

            s.State = ScheduleState.Sending;
            return true;
        }, cancellationToken);
        if (sending is null)
        {
            return;
        }

        // The channel's links as they are now: a link removed or paused since is not sent to, as no send goes to it
        // (a link moved to another group goes to that group).
        var linked = await links.GetLinksAsync(sending.Channel, cancellationToken);
        var groups = linked.Where(l => !l.Paused && sending.Groups.Any(g => g.Id == l.Id)).ToList();
        if (groups.Count == 0)
        {
            await schedules.CancelAsync(sending.Id, "Bridge: none of its groups is linked to this channel any more", ScheduleState.Sending, cancellationToken);
            return;
        }

        var forward = sending.Forward;
        if (sending.Groups.Where(g => groups.All(l => l.Id != g.Id)).Select(g => g.GroupName).ToList() is { Count: > 0 } dropped)
        {
            forward.Notes.Add($"Not sent to {string.Join(", ", dropped)}: unlinked or paused after this was scheduled.");
        }

        var late = now - sending.SendAt;
        if (late > LateAfter)
        {
            forward.Notes.Add($"Sent {Span(late)} late: Bridge was not running at {sending.When}.");
        }

        // The command's response_url lasts 30 minutes from the command (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses),
        // while the forward counts its uses from its accept, now: private answers take the other ways.
        forward.Reply.ResponseUrl = null;
        // The dedupe key makes it one accept however many replicas, or restarts after a crash here, accept it. Each try
        // is a forward of its own id, as two requests with one key are: the key, not the id, says which was first.
        forward.Id = Guid.CreateVersion7().ToString("N");
        // Approval, where a send needs it, happened when it was scheduled.
        var outcome = await forwarder.AcceptWithoutApprovalAsync(forward, groups, [], "scheduled:" + sending.Id, cancellationToken);
        if (outcome is ForwardOutcome.Accepted or ForwardOutcome.Duplicate)
        {
            var accepted = outcome is ForwardOutcome.Accepted a ? a.ForwardId : ((ForwardOutcome.Duplicate)outcome).ForwardId;
            await store.UpdateScheduleAsync(sending.Id, s =>
            {
                s.State = ScheduleState.Sent;
                s.FinishedAt = now;
                s.Forward.Id = accepted;
                return true;
            }, CancellationToken.None);
            Log.Fired(logger, sending.Id, accepted, late > LateAfter ? late : TimeSpan.Zero);
        }
        else
        {
            // Not recorded (the store lost) or WhatsApp not configured: it stays Sending, tried again at the next look.
            throw new InvalidOperationException($"Scheduled send {sending.Id} was not accepted: {outcome.Describe("/whatsapp")}");
        }
    }

    /// <summary>"2 h 5 min", "3 min", "1 d 4 h": how late, in the two largest units.</summary>
    private static string Span(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : $"{Math.Max(1, (int)span.TotalMinutes)} min";

    private static partial class Log
    {
        [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "Scheduled send {ScheduleId} accepted as forward {ForwardId} (late by {Late})")]
        public static partial void Fired(ILogger logger, string scheduleId, string forwardId, TimeSpan late);

        [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "Firing scheduled sends failed; they are tried again shortly: {Error} {Reason}")]
        public static partial void FiringFailed(ILogger logger, string error, string reason);
    }
}
