using System.Runtime.ExceptionServices;
using Bridge.Forwarding;
using Microsoft.Extensions.Options;

namespace Bridge.Delivery;

/// <summary>Posts visible records and outcomes in the thread, with durable retries.</summary>
internal sealed partial class ReplyPoster(
    IForwardStore store,
    ReplicaId replica,
    IEnumerable<IThreadReplier> repliers,
    DeliverySignal signal,
    StoreAvailability availability,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    ILogger<ReplyPoster> logger)
{
    /// <summary>
    /// How many forwards are posted at once. A Slack or Connector call that stalls holds only its own forward, up to its
    /// client's timeout, while the others go on; one task per forward keeps its record before its outcome.
    /// </summary>
    private const int MaxConcurrentForwards = 4;

    /// <summary>
    /// Posts the due replies, up to <see cref="MaxConcurrentForwards"/> forwards at once, and looks for more whenever a
    /// post ends, work is accepted or finished, or the poll interval passes, until none is left or in flight. Returns how
    /// many forwards moved on, so the worker knows whether to look again at once.
    /// </summary>
    public async Task<int> PostDueRepliesAsync(CancellationToken cancellationToken)
    {
        var posted = 0;
        var posting = new Dictionary<string, Task<bool>>();
        Exception? failure = null;
        while (true)
        {
            using var poll = new CancellationTokenSource();
            Task[] lookAgain = [];
            // With every slot taken there is nothing to start: it waits for a post to end rather than read the store
            // again after every accept.
            // Nothing new is claimed while the store is lost: the posts in flight end, and the worker waits for the store.
            if (failure is null && !cancellationToken.IsCancellationRequested && posting.Count < MaxConcurrentForwards && availability.LostReason is null)
            {
                // Taken before looking, so that work accepted or finished while looking makes it look once more.
                var notified = signal.NextNotifyAsync();
                try
                {
                    // As many as there are slots: the ones in flight come back too (still due, this replica's own claims),
                    // so the rest fill the free slots, and nothing is claimed that this replica cannot start at once.
                    var now = time.GetUtcNow();
                    foreach (var forward in await store.ClaimForwardsToReplyAsync(replica.Value, now, now + options.Value.ReplyLease, MaxConcurrentForwards, cancellationToken))
                    {
                        if (posting.Count >= MaxConcurrentForwards)
                        {
                            break;
                        }

                        if (!posting.ContainsKey(forward.Id))
                        {
                            posting[forward.Id] = PostOrRecordFailureAsync(forward, cancellationToken);
                        }
                    }

                    lookAgain = [notified, Task.Delay(options.Value.PollInterval, time, poll.Token)];
                }
                catch (Exception exception)
                {
                    failure = exception;
                }
            }

            if (posting.Count == 0)
            {
                // An unexpected error (the store failing) reaches the worker only once no post is in flight, so a
                // forward is never posted by two tasks.
                if (failure is not null)
                {
                    ExceptionDispatchInfo.Throw(failure);
                }

                return posted;
            }

            await Task.WhenAny([.. posting.Values, .. lookAgain]);
            await poll.CancelAsync();
            foreach (var (forwardId, post) in posting.Where(p => p.Value.IsCompleted).ToList())
            {
                posting.Remove(forwardId);
                try
                {
                    posted += await post ? 1 : 0;
                }
                catch (Exception exception)
                {
                    failure ??= exception;
                }
            }
        }
    }

    /// <returns>True when the forward moved on; false when its reply failed and was recorded for a retry.</returns>
    private async Task<bool> PostOrRecordFailureAsync(Forward forward, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var replier = repliers.FirstOrDefault(r => r.Platform == forward.Platform);
        if (replier is null)
        {
            await store.UpdateForwardAsync(forward.Id, f => f.ReplyState = ReplyState.Failed, CancellationToken.None);
            return false;
        }

        try
        {
            await PostAsync(replier, forward, cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var attempts = forward.ReplyAttempts + 1;
            // A final refusal means every way to reply was tried: retrying would only repeat the same refusals.
            var giveUp = IsLastAttempt(forward) || exception is ReplyException { Final: true };
            var error = exception is ReplyException ? exception.Message : exception.GetType().Name;
            // Recorded even when stopping, like the attempt it records.
            await store.UpdateForwardAsync(forward.Id, f =>
            {
                f.ReplyAttempts = attempts;
                f.ReplyError = error;
                f.NextReplyAt = time.GetUtcNow() + Backoff.Next(attempts, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay, (exception as ReplyException)?.RetryAfter);
                // Unless a retry recorded meanwhile made the outcome pending again, with attempts of its own.
                if (giveUp && (f.OutcomeReady || f.RecordPending))
                {
                    f.ReplyState = ReplyState.Failed;
                }
            }, CancellationToken.None);
            Log.ReplyFailed(logger, forward.Id, attempts, giveUp, exception.GetType().Name, LogValue.Clean(exception.Message));
            return false;
        }
    }

    private async Task PostAsync(IThreadReplier replier, Forward forward, CancellationToken cancellationToken)
    {
        if (forward.RecordPending && replier is IThreadAnnouncer announcer)
        {
            var threadId = await announcer.AnnounceAsync(forward, await store.GetJobsAsync(forward.Id, cancellationToken), IsLastAttempt(forward), cancellationToken);
            // One write with the post's outcome, so a crash cannot leave a made post unrecorded and not in flight either.
            forward = await store.UpdateForwardAsync(forward.Id, f =>
            {
                f.Reply.ThreadId = threadId;
                f.Reply.RepliesPrivately = threadId is null;
                f.PostInFlight = false;
            }, CancellationToken.None) ?? forward;
            Log.Announced(logger, forward.Id, threadId is null ? "none (replies go privately)" : LogValue.Clean(threadId));
        }

        if (forward.OutcomeReady)
        {
            var jobs = await store.GetJobsAsync(forward.Id, cancellationToken);
            var route = await replier.ReplyAsync(forward, OutcomeText.For(forward, jobs), jobs, IsLastAttempt(forward), cancellationToken);
            await store.UpdateForwardAsync(forward.Id, f =>
            {
                // A retry recorded while this post was under way made the outcome pending again: its own reply follows.
                f.ReplyState = f.OutcomeReady ? ReplyState.Replied : ReplyState.Pending;
                f.PostInFlight = false;
                f.ReplyRoute = route;
                f.ReplyError = null;
                f.RepliedAt = time.GetUtcNow();
            }, CancellationToken.None);
            Log.Replied(logger, forward.Id, route);
        }
    }

    /// <summary>Whether this try is the last one (Delivery:MaxReplyAttempts): a replier then takes any way it has.</summary>
    private bool IsLastAttempt(Forward forward) => forward.ReplyAttempts + 1 >= options.Value.MaxReplyAttempts;

    private static partial class Log
    {
        [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Visible record of forward {ForwardId} done; replies go to thread {ThreadId}")]
        public static partial void Announced(ILogger logger, string forwardId, string threadId);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Outcome of forward {ForwardId} replied ({Route})")]
        public static partial void Replied(ILogger logger, string forwardId, ReplyRoute route);

        [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Reply for forward {ForwardId} failed (attempt {Attempt}, giving up: {GiveUp}): {Error} {Reason}")]
        public static partial void ReplyFailed(ILogger logger, string forwardId, int attempt, bool giveUp, string error, string reason);
    }
}
