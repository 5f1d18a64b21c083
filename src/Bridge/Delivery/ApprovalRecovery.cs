using Bridge.Forwarding;

namespace Bridge.Delivery;

/// <summary>
/// At start-up, finishes the sends approved just before a crash: each approved approval whose accept was not recorded
/// is accepted again with its dedupe key, which finds the first accept if there was one, so nothing is sent twice.
/// A press on such a preview finishes it too (<see cref="ApprovalDesk"/>).
/// </summary>
internal sealed partial class ApprovalRecovery(IApprovalStore approvals, Forwarder forwarder, ILogger<ApprovalRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var approved = await approvals.GetApprovedApprovalsAsync(stoppingToken);
            foreach (var approval in approved)
            {
                await forwarder.AcceptApprovedAsync(approval, stoppingToken);
            }

            if (approved.Count > 0)
            {
                Log.Finished(logger, approved.Count);
            }
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The next press on each preview finishes it instead.
            Log.Failed(logger, exception.GetType().Name, LogValue.Clean(exception.Message));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3502, Level = LogLevel.Information, Message = "Accepted {Count} send(s) approved before Bridge stopped")]
        public static partial void Finished(ILogger logger, int count);

        [LoggerMessage(EventId = 3503, Level = LogLevel.Warning, Message = "Sends approved before Bridge stopped could not be accepted at start-up: {Error} {Reason}")]
        public static partial void Failed(ILogger logger, string error, string reason);
    }
}
