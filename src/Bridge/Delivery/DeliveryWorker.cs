using Bridge.Forwarding;
using Bridge.WhatsApp;
using Microsoft.Extensions.Options;

namespace Bridge.Delivery;

/// <summary>
/// Delivers accepted jobs in the background. Each WhatsApp group is a lane served in acceptance order; lanes of
/// different groups run in parallel. Replies are posted by one lane of their own.
/// <para>
/// Replicas sharing a store share the work: a lane runs a job only once this replica has claimed it
/// (<see cref="IForwardStore.TryClaimJobAsync"/>), which the store grants only for a group's oldest unfinished job and
/// only to one replica at a time, for <see cref="DeliveryOptions.JobLease"/>, renewed every third of it while the lane runs.
/// A replica that dies leaves a lease that runs out; the next claimant then finds the job as it was left.
/// </para>
/// </summary>
internal sealed partial class DeliveryWorker(
    IForwardStore store,
    ReplicaId replica,
    JobRunner runner,
    ReplyPoster replies,
    PendingJobIndex pendingJobs,
    DeliverySignal signal,
    StoreAvailability availability,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    IOptions<WhatsAppOptions> whatsAppOptions,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    /// <summary>
    /// Lanes one phone may hold while its sends are paced (<see cref="WhatsAppOptions.PhoneSendInterval"/>): one request
    /// on its way and the next waiting out the interval, so a provider slower than the interval still sends one per
    /// interval. More would only hold slots that other phones' groups could use.
    /// </summary>
    internal const int LanesPerPacedPhone = 2;

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
        Log.Recovered(logger, replica, unknown, ready);
        foreach (var job in await store.GetUnfinishedJobsAsync(stoppingToken))
        {
            pendingJobs.Add(job.GroupKey, job.Id);
        }

        var lanes = new Dictionary<string, Task<LaneResult>>();
        // Groups whose last lane ended with an unexpected error, held back in memory (the store may be what fails)
        // until their backoff ends, so a job whose store update keeps failing is not rerun in a tight loop.
        var holds = new Dictionary<string, (int Failures, DateTimeOffset Until)>();
        Task replyLane = Task.CompletedTask;
        var catchUp = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (availability.LostReason is not null)
            {
                // Nothing is claimed while the store is lost (StoreProbe logs it once and checks it). Once it is back,
                // the groups it held back go at once, and the unfinished jobs are read again: a write answered as not
                // recorded may have been recorded after all (a failed flush), and its job would hold its group's order.
                try
                {
                    await availability.WhenBackAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }

                holds.Clear();
                catchUp = true;
            }

            var wake = options.Value.PollInterval;
            try
            {
                if (catchUp)
                {
                    foreach (var job in await store.GetUnfinishedJobsAsync(stoppingToken))
                    {
                        pendingJobs.Add(job.GroupKey, job.Id);
                    }

                    catchUp = false;
                }

                var now = time.GetUtcNow();
                foreach (var (groupKey, lane) in lanes.Where(l => l.Value.IsCompleted).ToList())
                {
                    lanes.Remove(groupKey);
                    TrackLaneEnd(holds, groupKey, lane.Result, now);
                }

                DateTimeOffset? nextDue = null;
                foreach (var (groupKey, jobId) in pendingJobs.Heads())
                {
                    if (lanes.ContainsKey(groupKey) || IsPhoneBusy(lanes, groupKey))
                    {
                        continue;
                    }

                    if (holds.TryGetValue(groupKey, out var hold) && hold.Until > now)
                    {
                        nextDue = Earliest(nextDue, hold.Until);
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
                        nextDue = Earliest(nextDue, job.NextAttemptAt);
                    }
                    else if (await store.TryClaimJobAsync(jobId, replica.Value, now, now + options.Value.JobLease, stoppingToken) is { } claimed)
                    {
                        // Sending here means a run could not record what followed its request (a full disk, or a replica
                        // that died): the runner reports it possibly delivered rather than leave the group's head stuck.
                        lanes[groupKey] = RunLaneAsync(claimed, stoppingToken);
                    }
                    else if (job.LeaseUntil > now)
                    {
                        // Another replica runs it: look again when its lease runs out, should that replica be gone.
                        nextDue = Earliest(nextDue, job.LeaseUntil.Value);
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
            catch (StoreUnavailableException)
            {
                // The store is lost: the next round waits for it, quietly.
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

    private bool IsPhoneBusy(Dictionary<string, Task<LaneResult>> lanes, string groupKey) =>
        whatsAppOptions.Value.PhoneSendInterval > TimeSpan.Zero
        && lanes.Keys.Count(running => DeliveryJob.SessionOf(running) == DeliveryJob.SessionOf(groupKey)) >= LanesPerPacedPhone;

    private static DateTimeOffset Earliest(DateTimeOffset? due, DateTimeOffset other) => due is { } earlier && earlier < other ? earlier : other;

    private async Task<LaneResult> RunLaneAsync(DeliveryJob job, CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var ended = new CancellationTokenSource();
        var renewal = RenewLeaseAsync(job.Id, ended.Token);
        try
        {
            await runner.RunAsync(job, stoppingToken);
            return new LaneResult(job.Id, null);
        }
        catch (JobClaimLostException)
        {
            // Another replica claimed the job once this one's lease ran out: what it records stands, this one stops.
            Log.ClaimLost(logger, job.Id);
            return new LaneResult(job.Id, null);
        }
        catch (Exception exception)
        {
            return new LaneResult(job.Id, exception);
        }
        finally
        {
            await ended.CancelAsync();
            await renewal;
            signal.Notify();
        }
    }

    /// <summary>
    /// Renews the lane's lease until the lane ends, so a send that waits for the rate limiter and then takes up to
    /// WhatsApp:Timeout keeps its job. A renewal refused means the lease was lost (or the job just finished): the job's
    /// next update, if any, is refused too, and the lane logs that once.
    /// </summary>
    private async Task RenewLeaseAsync(long jobId, CancellationToken ended)
    {
        while (!ended.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.JobLease / 3, time, ended);
                var now = time.GetUtcNow();
                if (await store.TryClaimJobAsync(jobId, replica.Value, now, now + options.Value.JobLease, CancellationToken.None) is null)
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (ended.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The next renewal tries again; the lease outlasts two missed ones. A lost store is logged once, elsewhere.
                if (exception is not StoreUnavailableException)
                {
                    Log.RenewalFailed(logger, jobId, exception.GetType().Name);
                }
            }
        }
    }

    /// <summary>
    /// Holds a group back after an unexpected error, for longer each time, and logs the first error only; a lane that
    /// ends normally lifts the hold and logs once how many retries it took.
    /// </summary>
    private void TrackLaneEnd(Dictionary<string, (int Failures, DateTimeOffset Until)> holds, string groupKey, LaneResult result, DateTimeOffset now)
    {
        var failures = holds.TryGetValue(groupKey, out var hold) ? hold.Failures : 0;
        if (result.Error is null)
        {
            if (holds.Remove(groupKey))
            {
                Log.JobRecovered(logger, result.JobId, failures);
            }

            return;
        }

        failures++;
        var delivery = options.Value;
        var delay = Backoff.Next(failures, delivery.RetryBaseDelay, delivery.RetryMaxDelay, null);
        holds[groupKey] = (failures, now + delay);
        if (result.Error is StoreUnavailableException)
        {
            // A lost store, logged once by StoreProbe; its groups go again when it is back.
            return;
        }

        if (failures == 1)
        {
            Log.JobCrashed(logger, result.JobId, delay, result.Error);
        }
        else
        {
            Log.JobCrashedAgain(logger, result.JobId, failures, delay);
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
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested && exception is not StoreUnavailableException)
            {
                Log.LoopFailed(logger, exception);
            }
            catch (StoreUnavailableException)
            {
                // A lost store, logged once by StoreProbe: the worker waits for it before the next round.
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
        [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Delivery started as replica {Replica}: {Unknown} interrupted send(s) marked possibly delivered, {Ready} forward(s) ready to reply")]
        public static partial void Recovered(ILogger logger, ReplicaId replica, int unknown, int ready);

        [LoggerMessage(EventId = 2206, Level = LogLevel.Warning, Message = "Job {JobId}: this replica's lease ran out and another replica claimed it; this replica's updates of it are refused")]
        public static partial void ClaimLost(ILogger logger, long jobId);

        [LoggerMessage(EventId = 2207, Level = LogLevel.Warning, Message = "Job {JobId}: its lease could not be renewed ({Error}); trying again")]
        public static partial void RenewalFailed(ILogger logger, long jobId, string error);

        [LoggerMessage(EventId = 2202, Level = LogLevel.Error, Message = "Delivery loop failed")]
        public static partial void LoopFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 2203, Level = LogLevel.Error, Message = "Job {JobId} stopped with an unexpected error; its group is retried in {Delay}, then with growing backoff, logged again only when it recovers")]
        public static partial void JobCrashed(ILogger logger, long jobId, TimeSpan delay, Exception exception);

        [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "Job {JobId} ran without error after {Retries} failed run(s); its group is no longer held back")]
        public static partial void JobRecovered(ILogger logger, long jobId, int retries);

        [LoggerMessage(EventId = 2205, Level = LogLevel.Debug, Message = "Job {JobId} failed again ({Failures} in a row); its group is retried in {Delay}")]
        public static partial void JobCrashedAgain(ILogger logger, long jobId, int failures, TimeSpan delay);
    }
}
