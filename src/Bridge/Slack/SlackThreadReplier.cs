using Bridge.Delivery;
using Bridge.Forwarding;
using Bridge.Hosting;
using Bridge.Storage;

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
    IBridgeStore store,
    TimeProvider time,
    ILogger<SlackThreadReplier> logger)
    : IThreadReplier
{
    /// <summary>The thread id of a forward whose record is not in the channel: replies go privately instead.</summary>
    public const string PrivateThread = "response_url";

    /// <summary>The store setting holding the last token or scope error of a Slack post, shown on the setup card.</summary>
    public const string ProblemSetting = "slack:reply-problem";

    /// <summary>
    /// A response_url takes 5 answers within 30 minutes (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses).
    /// Bridge counts from when it accepted the command, with a minute to spare, and leaves one answer to the command itself.
    /// </summary>
    private static readonly TimeSpan ResponseUrlLifetime = TimeSpan.FromMinutes(29);

    private const int ResponseUrlUses = 4;

    /// <summary>Private answers are cut to this length, so even a msg_too_long outcome reaches the person.</summary>
    private const int PrivateTextLimit = 3000;

    public Platform Platform => Platform.Slack;

    public async Task<string> AnnounceAsync(Forward forward, IReadOnlyList<DeliveryJob> jobs, CancellationToken cancellationToken)
    {
        if (forward.PostInFlight)
        {
            Log.Unconfirmed(logger, forward.Id);
            store.UpdateForward(forward.Id, f => f.PostInFlight = false);
            return PrivateThread;
        }

        var groups = string.Join(", ", jobs.Select(j => j.GroupName));
        var text = $"📤 <@{forward.UserId}> sent to WhatsApp {(jobs.Count == 1 ? "group" : "groups")} {SlackText.Escape(groups)}:\n{SlackText.Quote(SlackText.Escape(forward.Text))}";
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

            return PrivateThread;
        }
    }

    public async Task<ReplyRoute> ReplyAsync(Forward forward, string text, CancellationToken cancellationToken)
    {
        var escaped = SlackText.Escape(text);
        if (forward.Reply.ThreadId == PrivateThread)
        {
            return await TellPrivatelyAsync(forward, escaped, [], cancellationToken);
        }

        if (forward.PostInFlight)
        {
            Log.Unconfirmed(logger, forward.Id);
            return await TellPrivatelyAsync(forward, escaped, ["chat.postMessage: no answer from Slack, so it was not repeated"], cancellationToken);
        }

        try
        {
            await PostInChannelAsync(forward, escaped, forward.Reply.ThreadId);
            return ReplyRoute.Thread;
        }
        catch (SlackApiException exception) when (!SlackErrors.IsRetryable(exception.Error))
        {
            return await TellPrivatelyAsync(forward, $"{escaped}\n{SlackErrors.Sentence(exception)}", [$"chat.postMessage: {SlackErrors.Describe(exception)}"], cancellationToken);
        }
    }

    /// <summary>Posts in the channel, recording the post as in flight until Slack's answer says whether it was made.</summary>
    private async Task<string> PostInChannelAsync(Forward forward, string text, string? threadTs)
    {
        store.UpdateForward(forward.Id, f => f.PostInFlight = true);
        string ts;
        try
        {
            // Not cancelled by a stopping host: the post finishes (bounded by the client's timeout) and is recorded, so a
            // graceful stop leaves no post whose outcome is unknown.
            ts = await slack.PostMessageAsync(forward.Reply.ConversationId, text, threadTs, CancellationToken.None);
        }
        catch (Exception exception) when (SlackApiClient.ProvesNothingPosted(exception))
        {
            store.UpdateForward(forward.Id, f => f.PostInFlight = false);
            if (exception is SlackApiException refusal)
            {
                Refused(forward, refusal);
            }

            throw;
        }

        store.UpdateForward(forward.Id, f => f.PostInFlight = false);
        if (!string.IsNullOrEmpty(store.GetSetting(ProblemSetting)))
        {
            store.SetSetting(ProblemSetting, "");
        }

        return ts;
    }

    /// <summary>
    /// Tells the person who asked through the first private way that works; throws a final <see cref="ReplyException"/>
    /// naming every refusal when none does. A Slack rate limit is thrown as it is, to be retried.
    /// </summary>
    private async Task<ReplyRoute> TellPrivatelyAsync(Forward forward, string text, List<string> refusals, CancellationToken cancellationToken)
    {
        var bounded = text.Length > PrivateTextLimit ? text[..PrivateTextLimit] + "…" : text;
        if (forward.Reply.ServiceUrl is { } responseUrl)
        {
            if (forward.ResponseUrlUses < ResponseUrlUses && time.GetUtcNow() < forward.CreatedAt + ResponseUrlLifetime)
            {
                // Counted before the call: a call that fails may still have used one of the five answers.
                forward = store.UpdateForward(forward.Id, f => f.ResponseUrlUses++) ?? forward;
                try
                {
                    await slack.RespondAsync(responseUrl, bounded, cancellationToken);
                    return ReplyRoute.ResponseUrl;
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    refusals.Add($"response_url: {exception.Message}");
                }
            }
            else
            {
                refusals.Add("response_url: expired (30 minutes or 5 answers)");
            }
        }

        var threadTs = forward.Reply.ThreadId == PrivateThread ? null : forward.Reply.ThreadId;
        var refused = new List<SlackApiException>();
        var route = await privately.TellAsync(forward.Reply.ConversationId, forward.UserId, threadTs, bounded, refused, cancellationToken);
        foreach (var exception in refused)
        {
            Refused(forward, exception);
            refusals.Add($"{exception.Method}: {SlackErrors.Describe(exception)}");
        }

        return route ??
            throw new ReplyException("No way to reach the sender on Slack: " + string.Join("; ", refusals), final: true);
    }

    private void Refused(Forward forward, SlackApiException exception)
    {
        Log.Refused(logger, forward.Id, exception.Method, LogValue.Clean(SlackErrors.Describe(exception)));
        if (SlackErrors.IsTokenOrScope(exception.Error))
        {
            store.SetSetting(ProblemSetting, $"{exception.Method}: {SlackErrors.Describe(exception)}");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Slack refused {Method} for forward {ForwardId}: {Error}")]
        public static partial void Refused(ILogger logger, string forwardId, string method, string error);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Slack never answered a post for forward {ForwardId}; it is not repeated, the outcome goes privately")]
        public static partial void Unconfirmed(ILogger logger, string forwardId);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "The private notice for forward {ForwardId} failed: {Reason}")]
        public static partial void NoticeFailed(ILogger logger, string forwardId, string reason);
    }
}
