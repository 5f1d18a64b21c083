using Bridge.Forwarding;
using Microsoft.Extensions.Options;

namespace Bridge.Delivery;

/// <summary>
/// Delivers accepted jobs in the background. Each WhatsApp group is a lane served in acceptance order; lanes of
/// different groups run in parallel. Replies are posted by one lane of their own.
/// </summary>
internal sealed partial class DeliveryWorker(
    IForwardStore store,
    JobRunner runner,
    ReplyPoster replies,
    PendingJobIndex pendingJobs,
    DeliverySignal signal,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    public const string InterruptedSendError =
        "Bridge stopped while this message was being sent, so it may or may not have been delivered. Check the group before sending it again.";

    // A round that finds the reply lane busy asks it to look once more, so an outcome that became ready meanwhile does
    // not wait for the next poll.
    private readonly Lock _replyGate = new();
    private bool _replyRunning;
    private bool _replyWanted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var unknown = await store.MarkInterruptedSendsUnknownAsync(InterruptedSendError, time.GetUtcNow(), stoppingToken);
        var ready = await store.MarkFinishedForwardsReadyAsync(stoppingToken);
        Log.Recovered(logger, unknown, ready);
        foreach (var job in await store.GetUnfinishedJobsAsync(stoppingToken))
        {
            pendingJobs.Add(job.GroupKey, job.Id);
        }

        var lanes = new Dictionary<string, Task>();
        Task replyLane = Task.CompletedTask;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = options.Value.PollInterval;
            try
            {
                foreach (var finished in lanes.Where(l => l.Value.IsCompleted).Select(l => l.Key).ToList())
                {
                    lanes.Remove(finished);
                }

                var now = time.GetUtcNow();
                DateTimeOffset? nextDue = null;
                foreach (var (groupKey, jobId) in pendingJobs.Heads())
                {
                    if (lanes.ContainsKey(groupKey))
                    {
                        continue;
                    }

                    if (lanes.Count >= options.Value.MaxParallelGroups)
                    {
                        break;
                    }

                    var job = await store.GetJobAsync(jobId, stoppingToken);
                    if (job is null || job.IsFinished)
                    {
                        pendingJobs.Remove(groupKey, jobId);
                        signal.Notify();
                    }
                    else if (job.NextAttemptAt > now)
                    {
                        nextDue = nextDue is { } earlier && earlier < job.NextAttemptAt ? earlier : job.NextAttemptAt;
                    }
                    else if (job.Status == DeliveryStatus.Pending)
                    {
                        lanes[groupKey] = RunLaneAsync(job, stoppingToken);
                    }
                }

                if (StartReplyRound())
                {
                    replyLane = RunRepliesAsync(stoppingToken);
                }

                // Until the next retry falls due, at most the poll interval; work due now needs no timer, since a
                // finished lane and an accepted forward wake the worker.
                if (nextDue is { } due && due - now < wake)
                {
                    wake = due - now;
                }
            }
            catch (Exception exception)
            {
                // The worker must outlive any failure of one round (a store hiccup): the next round tries again.
                Log.LoopFailed(logger, exception);
            }

            try
            {
                await signal.WaitAsync(wake, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        // A graceful stop lets the sends in flight finish and be recorded, so a restart has nothing to report as unknown.
        await Task.WhenAll(lanes.Values.Append(replyLane));
    }

    private async Task RunLaneAsync(DeliveryJob job, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await runner.RunAsync(job, stoppingToken);
        }
        catch (Exception exception)
        {
            Log.JobCrashed(logger, job.Id, exception);
        }
        finally
        {
            signal.Notify();
        }
    }

    /// <summary>True when the caller is to start the reply lane; false when it is running and will look once more.</summary>
    private bool StartReplyRound()
    {
        lock (_replyGate)
        {
            if (_replyRunning)
            {
                _replyWanted = true;
                return false;
            }

            _replyRunning = true;
            return true;
        }
    }

    private async Task RunRepliesAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (true)
        {
            try
            {
                if (await replies.PostDueRepliesAsync(stoppingToken) > 0)
                {
                    signal.Notify();
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                Log.LoopFailed(logger, exception);
            }

            lock (_replyGate)
            {
                if (!_replyWanted || stoppingToken.IsCancellationRequested)
                {
                    _replyRunning = false;
                    return;
                }

                _replyWanted = false;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Delivery started: {Unknown} interrupted send(s) marked possibly delivered, {Ready} forward(s) ready to reply")]
        public static partial void Recovered(ILogger logger, int unknown, int ready);

        [LoggerMessage(EventId = 2202, Level = LogLevel.Error, Message = "Delivery loop failed")]
        public static partial void LoopFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 2203, Level = LogLevel.Error, Message = "Job {JobId} stopped with an unexpected error")]
        public static partial void JobCrashed(ILogger logger, long jobId, Exception exception);
    }
}
