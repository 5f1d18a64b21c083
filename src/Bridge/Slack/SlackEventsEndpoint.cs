using System.Text.Json;
using Bridge.Commands;
using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>
/// <c>POST /slack/events</c>: the Events API handshake and <c>app_mention</c>. Slack retries an event it thinks failed
/// (<c>X-Slack-Retry-Num</c>), so each <c>event_id</c> is sent once; every request is answered 200 at once.
/// </summary>
internal static partial class SlackEventsEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpRequest request,
        SlackRequestReader reader,
        SlackMentions mentions,
        IForwardStore store,
        StoreAvailability availability,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILogger<SlackMentions> logger,
        CancellationToken cancellationToken)
    {
        var (body, refusal) = await reader.ReadVerifiedAsync(request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        SlackEventEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(body, SlackPayloadJson.Default.SlackEventEnvelope);
        }
        catch (JsonException)
        {
            return TypedResults.Problem("The event is not valid JSON.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (envelope?.Type == "url_verification")
        {
            return string.IsNullOrEmpty(envelope.Challenge)
                ? TypedResults.Problem("The url_verification request has no challenge.", statusCode: StatusCodes.Status400BadRequest)
                : TypedResults.Json(new SlackChallenge(envelope.Challenge), SlackPayloadJson.Default.SlackChallenge);
        }

        if (envelope is not { Type: "event_callback", Event: { Type: "app_mention" } mention })
        {
            return TypedResults.Ok();
        }

        if (availability.LostReason is { } lost)
        {
            return NotRecorded(lost);
        }

        if (string.IsNullOrEmpty(envelope.EventId) || string.IsNullOrEmpty(envelope.TeamId)
            || string.IsNullOrEmpty(mention.User) || string.IsNullOrEmpty(mention.Channel) || string.IsNullOrEmpty(mention.Ts))
        {
            return TypedResults.Problem("The app_mention event is missing event_id, team_id, user, channel or ts.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (InboundIds.FirstTooLong(("event_id", envelope.EventId), ("team_id", envelope.TeamId), ("event.user", mention.User),
                ("event.channel", mention.Channel), ("event.ts", mention.Ts), ("event.thread_ts", mention.ThreadTs)) is { } tooLong)
        {
            return TypedResults.Problem(InboundIds.TooLongReason(tooLong), statusCode: StatusCodes.Status400BadRequest);
        }

        var botUserId = envelope.Authorizations?.FirstOrDefault()?.UserId;
        if (mention.BotId is not null || mention.User == botUserId)
        {
            return TypedResults.Ok();
        }

        var eventKey = $"slack-event:{envelope.TeamId}:{envelope.EventId}";
        // A send records the event's key with its forward, in the accept's transaction, so a retry after a crash before
        // the accept is sent (a claim taken first would have swallowed it) and one after it is answered from the stored
        // forward. The other commands record no forward, so they claim the key before they run.
        if (SlackMentions.CommandOf(mention, botUserId).Verb != CommandVerb.Send)
        {
            bool first;
            try
            {
                first = await store.TryClaimAsync(eventKey, time.GetUtcNow(), cancellationToken);
            }
            catch (StoreUnavailableException exception)
            {
                return NotRecorded(exception.Reason);
            }

            if (!first)
            {
                Log.Repeated(logger, LogValue.Clean(envelope.EventId), LogValue.Clean(request.Headers["X-Slack-Retry-Num"].ToString()));
                return TypedResults.Ok();
            }
        }

        await SlackBackgroundWork.RunWithinAckBudgetAsync(
            ct => mentions.HandleAsync(envelope.TeamId, mention, botUserId, eventKey, ct), time, lifetime, logger, cancellationToken);
        return TypedResults.Ok();
    }

    /// <summary>
    /// A 503, since Slack delivers an event answered with an error again, after about 1 and 5 minutes
    /// (https://api.slack.com/apis/events-api#retries), by when the store may record it.
    /// </summary>
    private static IResult NotRecorded(string reason) =>
        TypedResults.Problem($"Bridge cannot record events right now ({reason}).", statusCode: StatusCodes.Status503ServiceUnavailable);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Slack event {EventId} was already handled (retry {RetryNum}); ignored")]
        public static partial void Repeated(ILogger logger, string eventId, string retryNum);
    }
}
