using Bridge.Forwarding;

namespace Bridge.Storage;

/// <summary>
/// Checks a lost store (<see cref="StoreAvailability"/>) every <see cref="Interval"/> until it is ready again, so the
/// replica takes requests and resumes delivery by itself. Logs once when the store is lost and once when it is back:
/// what waits for it meanwhile stays quiet. <c>/readyz</c> checks through <see cref="CheckAsync"/> too.
/// </summary>
internal sealed partial class StoreProbe(
    IForwardStore store,
    StoreAvailability availability,
    TimeProvider time,
    ILogger<StoreProbe> logger) : BackgroundService
{
    /// <summary>Cheap (one small query or write), and short next to Slack's retries of an event (1 and 5 minutes).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Asks the store what it can do now; a ready store is no longer lost.</summary>
    public async Task<StoreState> CheckAsync(CancellationToken cancellationToken)
    {
        var state = await store.CheckAsync(cancellationToken);
        if (state == StoreState.Ready)
        {
            availability.MarkBack();
        }

        return state;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await availability.WhenLostAsync(stoppingToken);
                var since = time.GetUtcNow();
                Log.Lost(logger, availability.LostReason ?? "", Interval);
                while (availability.LostReason is not null)
                {
                    await Task.Delay(Interval, time, stoppingToken);
                    try
                    {
                        await CheckAsync(stoppingToken);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        // Still lost: the next check tries again, and the first error is all the log needs.
                    }
                }

                Log.Back(logger, time.GetUtcNow() - since);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2605, Level = LogLevel.Error, Message = "The store is lost ({Reason}): Slack and Teams requests are refused and no work is claimed until it answers again; checking it every {Interval}")]
        public static partial void Lost(ILogger logger, string reason, TimeSpan interval);

        [LoggerMessage(EventId = 2606, Level = LogLevel.Information, Message = "The store answers again after {Duration}: requests are taken and delivery resumes")]
        public static partial void Back(ILogger logger, TimeSpan duration);
    }
}
