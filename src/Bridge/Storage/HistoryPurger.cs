using Bridge.Forwarding;
using Microsoft.Extensions.Options;

namespace Bridge.Storage;

/// <summary>
/// Retention: every <see cref="Interval"/>, deletes the finished history (forwards, schedules, approvals) older than
/// <see cref="StorageOptions.Retention"/> and the dedupe keys older than <see cref="DedupeKeyLifetime"/>. The first run
/// is an interval after start, so start-up does no more than read what is unfinished.
/// </summary>
internal sealed partial class HistoryPurger(
    IForwardStore store,
    IScheduleStore schedules,
    IApprovalStore approvals,
    TimeProvider time,
    IOptions<StorageOptions> options,
    ILogger<HistoryPurger> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>
    /// A dedupe key only has to outlive the platform's retries: Slack retries an event for minutes
    /// (https://api.slack.com/apis/events-api#retries), the Bot Connector a Teams activity for seconds.
    /// </summary>
    public static readonly TimeSpan DedupeKeyLifetime = TimeSpan.FromDays(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PurgeAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PurgeAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        try
        {
            var keys = await store.PurgeDedupeKeysAsync(now - DedupeKeyLifetime, stoppingToken);
            var forwards = options.Value.Retention == TimeSpan.Zero
                ? 0
                : await store.PurgeFinishedForwardsAsync(now - options.Value.Retention, stoppingToken);
            if (forwards > 0 || keys > 0)
            {
                Log.Purged(logger, forwards, keys);
            }

            // A sent schedule's forward is kept as long; a cancelled one, which has none, too.
            var finishedSchedules = options.Value.Retention == TimeSpan.Zero
                ? 0
                : await schedules.PurgeFinishedSchedulesAsync(now - options.Value.Retention, stoppingToken);
            if (finishedSchedules > 0)
            {
                Log.PurgedSchedules(logger, finishedSchedules);
            }

            if (options.Value.Retention != TimeSpan.Zero && await approvals.PurgeApprovalsAsync(now - options.Value.Retention, stoppingToken) is > 0 and var purged)
            {
                Log.PurgedApprovals(logger, purged);
            }
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            Log.PurgeFailed(logger, exception);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Retention purged {Forwards} finished forward(s) with their jobs and {Keys} dedupe key(s)")]
        public static partial void Purged(ILogger logger, int forwards, int keys);

        [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "Retention purged {Schedules} sent or cancelled scheduled send(s)")]
        public static partial void PurgedSchedules(ILogger logger, int schedules);

        [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Retention purged {Count} approval(s) that expired or were decided long ago")]
        public static partial void PurgedApprovals(ILogger logger, int count);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Error, Message = "Purging old history failed; the next run tries again")]
        public static partial void PurgeFailed(ILogger logger, Exception exception);
    }
}
