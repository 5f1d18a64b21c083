using System.Text.Json.Nodes;
using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>
/// Posts a forward's visible record in the channel and its outcome in that message's thread. When Slack refuses the
/// post for good (not a member, archived, token or scope trouble, …) the person who asked is told privately instead:
/// through the command's response_url while it is valid, else as an ephemeral message, else as a direct message.
/// A channel post whose answer never came (timeout, crash) may be visible, so it is never repeated: the forward records
/// the post before it starts (<see cref="Forward.PostInFlight"/>) and the outcome then goes the private way.
/// </summary>
internal sealed partial class SlackThreadReplier(
    SlackApiClient slack,
    SlackPrivateReplies privately,
    SlackRefusals refusals,
    IForwardStore store,
    TimeProvider time,
    ILogger<SlackThreadReplier> logger)
    : IThreadAnnouncer
{
    /// <summary>
    /// A response_url takes 5 answers within 30 minutes (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses).
    /// Bridge counts from when it accepted the command, with a minute to spare, and leaves one answer to the command itself.
    /// </summary>
    private static readonly TimeSpan ResponseUrlLifetime = TimeSpan.FromMinutes(29);

    private const int ResponseUrlUses = 4;

    /// <summary>Private answers are cut to this length, so even a msg_too_long outcome reaches the person.</summary>
    private const int PrivateTextLimit = 3000;

    public Platform Platform => Platform.Slack;

    public async Task<string?> AnnounceAsync(Forward forward, IReadOnlyList<DeliveryJob> jobs, bool lastAttempt, CancellationToken cancellationToken)
    {
        if (forward.PostInFlight)
        {
            // ReplyPoster records "replies go privately" and clears the mark in one write.
            Log.Unconfirmed(logger, forward.Id);
            return null;
        }

        var groups = string.Join(", ", jobs.Select(j => j.GroupName));
        var text = $"📤 <@{forward.UserId}> sent to WhatsApp {(jobs.Count == 1 ? "group" : "groups")} {SlackText.Escape(groups)}:\n{SlackText.Quote(forward.Text)}";
        try
        {
            return await PostInChannelAsync(forward, text, null);
        }
        catch (SlackApiException exception) when (!SlackErrors.IsRetryable(exception.Error))
        {
            // Only a notice: the outcome follows the same private way and records what happened.
            try
            {
                await TellPrivatelyAsync(forward, $"{SlackErrors.Sentence(exception)} Your message is being sent; its result will follow here.", [], cancellationToken);
            }
            catch (Exception notice) when (!cancellationToken.IsCancellationRequested)
            {
                Log.NoticeFailed(logger, forward.Id, LogValue.Clean(notice.Message));
            }

            return null;
        }
        catch (Exception exception) when (lastAttempt && !cancellationToken.IsCancellationRequested)
        {
            // Slack kept failing on a retryable error: the outcome follows privately instead of being lost.
            Log.PrivateAfterLastAttempt(logger, forward.Id, exception.GetType().Name);
            return null;
        }
    }

    public async Task<string?> AnnounceScheduleAsync(ScheduledSend schedule, CancellationToken cancellationToken)
    {
        var forward = schedule.Forward;
        var groups = string.Join(", ", schedule.Groups.Select(g => g.GroupName));
        var text = $"⏰ <@{forward.UserId}> scheduled for {SlackText.Escape(schedule.When)} to WhatsApp {(schedule.Groups.Count == 1 ? "group" : "groups")} "
            + $"{SlackText.Escape(groups)} (id `{schedule.Id}`):\n{SlackText.Quote(forward.Text)}";
        try
        {
            return await slack.PostMessageAsync(forward.Reply.ConversationId, text, null, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ScheduleRecordFailed(logger, schedule.Id, exception.GetType().Name, LogValue.Clean(exception.Message));
            return null;
        }
    }

    public async Task<ReplyRoute> ReplyAsync(Forward forward, string text, IReadOnlyList<DeliveryJob> jobs, bool lastAttempt, CancellationToken cancellationToken)
    {
        if (forward.Reply.RepliesPrivately)
        {
            return await TellPrivatelyAsync(forward, text, [], cancellationToken);
        }

        if (forward.PostInFlight)
        {
            Log.Unconfirmed(logger, forward.Id);
            return await TellPrivatelyAsync(forward, text, ["chat.postMessage: no answer from Slack, so it was not repeated"], cancellationToken);
        }

        try
        {
            // Only the thread's outcome has the button: a private one may have no response_url to answer a press with.
            var offered = SendAgain.Offered(jobs);
            var escaped = SlackText.Escape(text);
            await PostInChannelAsync(forward, escaped, forward.Reply.ThreadId,
                offered.Count == 0 ? null : SlackSendAgainActions.OutcomeBlocks(escaped, SendAgain.Value(forward.Id, offered)));
            return ReplyRoute.Thread;
        }
        catch (SlackApiException exception) when (!SlackErrors.IsRetryable(exception.Error))
        {
            return await TellPrivatelyAsync(forward, $"{text}\n{SlackErrors.Sentence(exception)}", [$"chat.postMessage: {SlackErrors.Describe(exception)}"], cancellationToken);
        }
        catch (Exception exception) when (lastAttempt && !cancellationToken.IsCancellationRequested)
        {
            // A rate limit, Slack's own trouble or no answer, for the last time: the outcome goes privately instead of being lost.
            Log.PrivateAfterLastAttempt(logger, forward.Id, exception.GetType().Name);
            var error = exception is SlackApiException api ? SlackErrors.Describe(api) : exception.Message;
            return await TellPrivatelyAsync(forward, text, [$"chat.postMessage: {error}"], cancellationToken);
        }
    }

    /// <summary>
    /// Posts in the channel, recording the post as in flight first. A refusal clears the mark here; a made post keeps it
    /// until ReplyPoster records the post's outcome, which clears it in the same write.
    /// </summary>
    private async Task<string> PostInChannelAsync(Forward forward, string text, string? threadTs, JsonArray? blocks = null)
    {
        await store.UpdateForwardAsync(forward.Id, f => f.PostInFlight = true, CancellationToken.None);
        string ts;
        try
        {
            // Not cancelled by a stopping host: the post finishes (bounded by the client's timeout) and is recorded, so a
            // graceful stop leaves no post whose outcome is unknown.
            ts = await slack.PostMessageAsync(forward.Reply.ConversationId, text, threadTs, CancellationToken.None, blocks);
        }
        catch (Exception exception) when (SlackApiClient.ProvesNothingPosted(exception))
        {
            await store.UpdateForwardAsync(forward.Id, f => f.PostInFlight = false, CancellationToken.None);
            if (exception is SlackApiException refusal)
            {
                await refusals.RecordAsync(forward.Id, refusal, CancellationToken.None);
            }

            throw;
        }

        // Still in flight until ReplyPoster records the ts or the reply in the same write that clears the mark.
        await refusals.WorkedAsync("chat.postMessage", CancellationToken.None);

        return ts;
    }

    /// <summary>
    /// Tells the person who asked, in plain <paramref name="text"/>, through the first private way that works; throws a
    /// final <see cref="ReplyException"/> naming every refusal when none does. A Slack rate limit is thrown as it is, to be retried.
    /// </summary>
    private async Task<ReplyRoute> TellPrivatelyAsync(Forward forward, string text, List<string> errors, CancellationToken cancellationToken)
    {
        var bounded = SlackText.Escape(SlackText.Cut(text, PrivateTextLimit));
        if (forward.Reply.ResponseUrl is { } responseUrl)
        {
            if (forward.ResponseUrlUses < ResponseUrlUses && time.GetUtcNow() < forward.CreatedAt + ResponseUrlLifetime)
            {
                // Counted before the call: a call that fails may still have used one of the five answers.
                forward = await store.UpdateForwardAsync(forward.Id, f => f.ResponseUrlUses++, cancellationToken) ?? forward;
                try
                {
                    await slack.RespondAsync(responseUrl, bounded, cancellationToken);
                    return ReplyRoute.ResponseUrl;
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    errors.Add($"response_url: {exception.Message}");
                }
            }
            else
            {
                errors.Add("response_url: expired (30 minutes or 5 answers)");
            }
        }

        return await privately.TellAsync(forward.Id, forward.Reply.ConversationId, forward.UserId, forward.Reply.ThreadId, bounded, errors, cancellationToken) ??
            throw new ReplyException("No way to reach the sender on Slack: " + string.Join("; ", errors), final: true);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "The visible record of scheduled send {ScheduleId} could not be posted: {Error} {Reason}")]
        public static partial void ScheduleRecordFailed(ILogger logger, string scheduleId, string error, string reason);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Slack never answered a post for forward {ForwardId}; it is not repeated, the outcome goes privately")]
        public static partial void Unconfirmed(ILogger logger, string forwardId);

        [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "The channel post for forward {ForwardId} failed on the last attempt ({Error}); the outcome goes privately")]
        public static partial void PrivateAfterLastAttempt(ILogger logger, string forwardId, string error);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "The private notice for forward {ForwardId} failed: {Reason}")]
        public static partial void NoticeFailed(ILogger logger, string forwardId, string reason);
    }
}
