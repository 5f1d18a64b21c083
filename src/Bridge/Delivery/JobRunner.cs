using Bridge.Forwarding;
using Bridge.Media;
using Bridge.WhatsApp;
using Microsoft.Extensions.Options;

namespace Bridge.Delivery;

/// <summary>
/// Sends one job's messages to its group, recording each step before and after the request so that a crash at
/// any point leaves a job that is either resumed (nothing in flight) or reported as possibly delivered. Those records
/// are written even while the host stops (no cancellation), since a restart resumes from them.
/// </summary>
internal sealed partial class JobRunner(
    IForwardStore store,
    TalkNTalkClient whatsApp,
    IMediaPublisher media,
    DeliverySignal signal,
    PendingJobIndex pendingJobs,
    DeliveryMetrics metrics,
    TimeProvider time,
    IOptions<DeliveryOptions> deliveryOptions,
    IOptions<WhatsAppOptions> whatsAppOptions,
    ILogger<JobRunner> logger)
{
    /// <summary>
    /// How long a send in flight may still take once the host stops, inside the host's shutdown timeout
    /// (<see cref="Hosting.BridgeApplication"/>), so that it is recorded before the process ends.
    /// </summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    public async Task RunAsync(DeliveryJob job, CancellationToken stoppingToken)
    {
        if (job.Status == DeliveryStatus.Sending)
        {
            // An earlier run marked it Sending and could not record what followed (a store write that failed after the
            // request left): the message may have been taken, so it is reported, never sent again, as after a crash.
            await ReportInterruptedAsync(job);
            return;
        }

        var forward = await store.GetForwardAsync(job.ForwardId, stoppingToken);
        if (forward is null)
        {
            await FinishAsync(job, DeliveryStatus.Failed, "The forwarded message was not found in Bridge's store.");
            return;
        }

        var plan = MessagePlanner.Plan(forward.Text, forward.Attachments.Count);
        while (job.NextPart < plan.Count)
        {
            // Between messages, a stopping host leaves the job pending, to resume after the restart.
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            var part = job.NextPart;
            var message = await MessageForAsync(forward, job, part, plan[part], stoppingToken);
            if (message is null)
            {
                job.SkippedParts.Add(part);
                job.UpdatedAt = time.GetUtcNow();
                await store.UpdateJobAsync(job, CancellationToken.None);
                Log.Skipped(logger, job.Id, part);
                continue;
            }

            // Set when the request leaves: the send's own time, not its wait for the phone's pace and a permit.
            var started = 0L;
            try
            {
                // A stopping host ends the wait for a rate-limit permit at once; a send in flight is given StopGrace to
                // finish (within WhatsApp:Timeout) and be recorded before it is abandoned.
                using var abandon = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
                using var stopping = stoppingToken.Register(() => abandon.CancelAfter(StopGrace));
                var result = await whatsApp.SendGroupMessageAsync(job.SessionId, message, async () =>
                {
                    await MarkSendingAsync(job);
                    started = time.GetTimestamp();
                }, stoppingToken, abandon.Token);
                metrics.Sent(DeliveryAttempt.Sent, time.GetElapsedTime(started));
                job.MessageIds.Add(result.MessageId!);
                job.Attempts.Add(new DeliveryAttempt(time.GetUtcNow(), part, DeliveryAttempt.Sent, 201, null));
                job.Status = DeliveryStatus.Pending;
                job.UpdatedAt = time.GetUtcNow();
                await store.UpdateJobAsync(job, CancellationToken.None);
                Log.Sent(logger, job.Id, part, LogValue.Clean(job.GroupId));
            }
            catch (OperationCanceledException) when (job.Status != DeliveryStatus.Sending && stoppingToken.IsCancellationRequested)
            {
                // The host stopped while the send waited for a permit: nothing left, so the job stays Pending for the next start.
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                Log.SendAbandoned(logger, job.Id, part, StopGrace);
                await ReportInterruptedAsync(job);
                return;
            }
            catch (TalkNTalkException exception)
            {
                metrics.Sent(exception.Failure.ToString(), time.GetElapsedTime(started));
                await HandleFailureAsync(job, part, exception);
                return;
            }
            catch (Exception exception) when (job.Status == DeliveryStatus.Sending)
            {
                // Whatever failed after the job was marked Sending, the message may have been taken: report, never repeat.
                Log.SendCrashed(logger, job.Id, part, exception);
                job.Attempts.Add(new DeliveryAttempt(time.GetUtcNow(), part, DeliveryAttempt.Error, null, exception.GetType().Name));
                await FinishAsync(job, DeliveryStatus.Unknown, DeliveryWorker.InterruptedSendError);
                return;
            }
        }

        // Nothing went at all: every part was a file that could not be fetched.
        if (job.MessageIds.Count == 0 && job.MissingFiles.Count > 0)
        {
            await FinishAsync(job, DeliveryStatus.Failed, string.Join(" ", job.MissingFiles));
            return;
        }

        await FinishAsync(job, DeliveryStatus.Delivered, null);
    }

    /// <summary>The job is recorded as Sending once its request has a permit and is about to leave, not while it waits.</summary>
    private async Task MarkSendingAsync(DeliveryJob job)
    {
        job.Status = DeliveryStatus.Sending;
        job.UpdatedAt = time.GetUtcNow();
        try
        {
            await store.UpdateJobAsync(job, CancellationToken.None);
        }
        catch
        {
            // Not recorded, so the request does not leave: the job is still the pending one the store holds.
            job.Status = DeliveryStatus.Pending;
            throw;
        }
    }

    /// <summary>
    /// The message for a part, or null to skip it: its file could not be fetched and it carries no text. A file that
    /// cannot be fetched never takes the text with it: the caption goes alone as a text, and the other parts still go.
    /// The failure is stored with the job, so a restart or a retried send neither fetches that file again nor loses the note.
    /// </summary>
    private async Task<GroupMessage?> MessageForAsync(Forward forward, DeliveryJob job, int part, PlannedMessage planned, CancellationToken stoppingToken)
    {
        if (planned.AttachmentIndex is not { } index)
        {
            return GroupMessages.Text(job.GroupId, planned.Text);
        }

        if (!job.Attempts.Any(a => a.Part == part && a.Outcome == DeliveryAttempt.MediaFailed))
        {
            try
            {
                var file = await media.PublishAsync(forward, index, stoppingToken);
                return GroupMessages.File(job.GroupId, forward.Attachments[index].Kind, planned.Text, file);
            }
            catch (MediaException exception)
            {
                job.Attempts.Add(new DeliveryAttempt(time.GetUtcNow(), part, DeliveryAttempt.MediaFailed, null, exception.Message));
            }
        }

        return string.IsNullOrWhiteSpace(planned.Text) ? null : GroupMessages.Text(job.GroupId, planned.Text);
    }

    private async Task HandleFailureAsync(DeliveryJob job, int part, TalkNTalkException exception)
    {
        var now = time.GetUtcNow();
        // Held back by Bridge itself (open circuit, full queue): nothing was tried, so no attempt is used.
        var heldBack = exception.Failure == TalkNTalkFailure.HeldBack;
        var outcome = heldBack ? DeliveryAttempt.Deferred : exception.Failure.ToString();
        job.Attempts.Add(new DeliveryAttempt(now, part, outcome, exception.StatusCode, exception.Detail));
        Log.SendFailed(logger, job.Id, part, exception.Failure, exception.StatusCode);

        if (heldBack)
        {
            await RescheduleAsync(job, now + whatsAppOptions.Value.CircuitBreakDuration);
            return;
        }

        if (exception.Failure == TalkNTalkFailure.NotTaken)
        {
            var attempts = job.Attempts.Count(a => a.Part == part && a.Outcome == nameof(TalkNTalkFailure.NotTaken));
            if (attempts < whatsAppOptions.Value.MaxSendAttempts)
            {
                var options = deliveryOptions.Value;
                await RescheduleAsync(job, now + Backoff.Next(attempts, options.RetryBaseDelay, options.RetryMaxDelay, exception.RetryAfter));
                return;
            }

            await FinishAsync(job, DeliveryStatus.Failed, TalkNTalkSentences.ForSend(exception, attempts));
            return;
        }

        await FinishAsync(job, exception.Failure == TalkNTalkFailure.Unknown ? DeliveryStatus.Unknown : DeliveryStatus.Failed, TalkNTalkSentences.ForSend(exception));
    }

    /// <summary>Puts the job off until <paramref name="at"/>; the attempt just recorded keeps the wait, for the history.</summary>
    private async Task RescheduleAsync(DeliveryJob job, DateTimeOffset at)
    {
        job.Attempts[^1] = job.Attempts[^1] with { NextAttemptAt = at };
        job.Status = DeliveryStatus.Pending;
        job.NextAttemptAt = at;
        job.UpdatedAt = time.GetUtcNow();
        await store.UpdateJobAsync(job, CancellationToken.None);
    }

    /// <summary>A send that may have been taken: possibly delivered, never sent again, as after a crash.</summary>
    private async Task ReportInterruptedAsync(DeliveryJob job)
    {
        job.MarkInterrupted(DeliveryWorker.InterruptedSendError, time.GetUtcNow());
        await FinishAsync(job, DeliveryStatus.Unknown, DeliveryWorker.InterruptedSendError);
    }

    private async Task FinishAsync(DeliveryJob job, DeliveryStatus status, string? error)
    {
        metrics.Finished(status);
        job.Status = status;
        job.Error = error;
        job.UpdatedAt = time.GetUtcNow();
        await store.UpdateJobAsync(job, CancellationToken.None);
        pendingJobs.Remove(job.GroupKey, job.Id);

        if ((await store.GetJobsAsync(job.ForwardId, CancellationToken.None)).All(j => j.IsFinished))
        {
            await store.UpdateForwardAsync(job.ForwardId, f => f.OutcomeReady = true, CancellationToken.None);
        }

        signal.Notify();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Job {JobId} part {Part} sent to group {GroupId}")]
        public static partial void Sent(ILogger logger, long jobId, int part, string groupId);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Job {JobId} part {Part} skipped: its file could not be fetched")]
        public static partial void Skipped(ILogger logger, long jobId, int part);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Job {JobId} part {Part} failed unexpectedly while sending; reported as possibly delivered")]
        public static partial void SendCrashed(ILogger logger, long jobId, int part, Exception exception);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Job {JobId} part {Part} was still sending {Grace} after the host began to stop; reported as possibly delivered")]
        public static partial void SendAbandoned(ILogger logger, long jobId, int part, TimeSpan grace);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Job {JobId} part {Part} failed: {Failure} (HTTP {StatusCode})")]
        public static partial void SendFailed(ILogger logger, long jobId, int part, TalkNTalkFailure failure, int? statusCode);
    }
}
