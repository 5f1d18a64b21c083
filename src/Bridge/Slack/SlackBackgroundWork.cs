using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>
/// Runs the work of a Slack request on the application's lifetime and waits for it only up to the ack budget: the
/// work normally records its forward before Slack gets its answer, and a slow one finishes afterwards.
/// </summary>
internal static partial class SlackBackgroundWork
{
    /// <summary>Slack shows an error after 3 s; what takes longer is answered afterwards.</summary>
    public static readonly TimeSpan AckBudget = TimeSpan.FromMilliseconds(2500);

    /// <summary>Starts the ack budget's clock; started before the work, it counts all of the work.</summary>
    public static Task StartAckBudget(TimeProvider time, CancellationToken requestAborted) => Task.Delay(AckBudget, time, requestAborted);

    /// <summary>Waits for the work up to the end of the ack budget; true when it finished in time.</summary>
    public static async Task<bool> FinishedWithinAckBudgetAsync(Task work, Task ackBudget) => await Task.WhenAny(work, ackBudget) == work;

    public static async Task RunWithinAckBudgetAsync(
        Func<CancellationToken, Task> work,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILogger logger,
        CancellationToken requestAborted)
    {
        var ackBudget = StartAckBudget(time, requestAborted);
        await FinishedWithinAckBudgetAsync(RunAsync(work, logger, lifetime.ApplicationStopping), ackBudget);
    }

    private static async Task RunAsync(Func<CancellationToken, Task> work, ILogger logger, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await work(cancellationToken);
        }
        catch (Exception exception)
        {
            // Type and cleaned message only: the message may carry payload values, the stack trace adds nothing for an operator.
            Log.WorkFailed(logger, exception.GetType().Name, LogValue.Clean(exception.Message));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Handling a Slack request failed after it was acknowledged: {Error} {Reason}")]
        public static partial void WorkFailed(ILogger logger, string error, string reason);
    }
}
