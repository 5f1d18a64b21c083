using Bridge.Forwarding;

namespace Bridge.Delivery;

/// <summary>
/// Closes the previews whose <see cref="ApprovalOptions.Lifetime"/> ran out with no press, each minute on the clock
/// Bridge runs on, and redraws each as expired where it was shown, so no one is left with buttons that no longer
/// send. Expiring is the same atomic decision a press makes, so of replicas sweeping at once (or a press at that
/// moment) exactly one closes it and redraws it. A press on an expired preview closes it too (<see cref="ApprovalDesk"/>).
/// </summary>
internal sealed partial class ApprovalExpiry(
    IApprovalStore approvals,
    IEnumerable<IApprovalPresenter> presenters,
    TimeProvider time,
    ILogger<ApprovalExpiry> logger) : BackgroundService
{
    public static readonly TimeSpan Sweep = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A preview that expired longer ago than this (Bridge was stopped then) is closed without a redraw: a burst of
    /// stale notices after a long stop helps no one, and a press on it still says it expired.
    /// </summary>
    public static readonly TimeSpan QuietAfter = TimeSpan.FromHours(1);

    private const int Batch = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Sweep, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await ExpireDueAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The store lost, say: the next sweep finds the same previews.
                    Log.SweepFailed(logger, exception.GetType().Name, LogValue.Clean(exception.Message));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ExpireDueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = time.GetUtcNow();
            var due = await approvals.GetExpiredApprovalsAsync(now, Batch, cancellationToken);
            foreach (var approval in due)
            {
                if (!await approvals.DecideApprovalAsync(approval.Id, ApprovalState.Expired, "", "", now, cancellationToken)
                    || await approvals.GetApprovalAsync(approval.Id, cancellationToken) is not { } expired)
                {
                    // A press or another replica decided it first, and showed it.
                    continue;
                }

                Log.Expired(logger, expired.Id);
                if (now - expired.ExpiresAt > QuietAfter)
                {
                    continue;
                }

                try
                {
                    await presenters.Single(p => p.Platform == expired.Forward.Platform).RedrawAsync(expired, cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // Closed all the same: a press on the stale preview says it expired.
                    Log.RedrawFailed(logger, expired.Id, exception.GetType().Name, LogValue.Clean(exception.Message));
                }
            }

            if (due.Count < Batch)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3504, Level = LogLevel.Information, Message = "Approval {ApprovalId} expired with no press")]
        public static partial void Expired(ILogger logger, string approvalId);

        [LoggerMessage(EventId = 3505, Level = LogLevel.Warning, Message = "The expired preview of approval {ApprovalId} could not be redrawn: {Error} {Reason}")]
        public static partial void RedrawFailed(ILogger logger, string approvalId, string error, string reason);

        [LoggerMessage(EventId = 3506, Level = LogLevel.Warning, Message = "Looking for expired approvals failed; the next sweep tries again: {Error} {Reason}")]
        public static partial void SweepFailed(ILogger logger, string error, string reason);
    }
}
