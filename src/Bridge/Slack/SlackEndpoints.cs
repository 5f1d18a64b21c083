using System.Text;
using Bridge.Commands;
using Bridge.Forwarding;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Bridge.Slack;

internal static partial class SlackEndpoints
{
    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        app.MapPost("/slack/commands", HandleCommandAsync).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/slack/interactivity", SlackInteractivityEndpoint.HandleAsync).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/slack/events", SlackEventsEndpoint.HandleAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> HandleCommandAsync(
        HttpRequest request,
        SlackRequestReader reader,
        CommandDispatcher commands,
        Forwarder forwarder,
        SlackForwardBuilder forwards,
        SlackApiClient slack,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILogger<SlackApiClient> logger,
        CancellationToken cancellationToken)
    {
        var (body, refusal) = await reader.ReadVerifiedAsync(request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body!));
        if (Field(form, "ssl_check") == "1")
        {
            return TypedResults.Ok();
        }

        var missing = new[] { "team_id", "channel_id", "user_id", "command" }.Where(f => string.IsNullOrEmpty(Field(form, f))).ToList();
        if (missing.Count > 0)
        {
            return TypedResults.Problem($"The slash command is missing {string.Join(", ", missing)}.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (InboundIds.FirstTooLong(("team_id", Field(form, "team_id")), ("channel_id", Field(form, "channel_id")),
                ("user_id", Field(form, "user_id")), ("trigger_id", Field(form, "trigger_id"))) is { } tooLong)
        {
            return TypedResults.Problem(InboundIds.TooLongReason(tooLong), statusCode: StatusCodes.Status400BadRequest);
        }

        var teamId = Field(form, "team_id")!;
        var channelId = Field(form, "channel_id")!;
        var userId = Field(form, "user_id")!;
        var userName = Field(form, "user_name") ?? userId;
        var responseUrl = Field(form, "response_url");
        var usage = Field(form, "command")!;
        var triggerId = Field(form, "trigger_id");

        var command = new CommandRequest(
            new ChannelRef(Platform.Slack, teamId, channelId),
            userId,
            usage,
            Command.Parse(SlackText.Command(Field(form, "text") ?? "")),
            DedupeKey: triggerId is null ? null : "slack-command:" + triggerId,
            UserName: userName);

        // A store known to be lost is refused at once by the route and the dispatcher, answered like any other command:
        // a 200 with an ephemeral sentence. Any other status shows the person only Slack's own "responded with Status
        // Code …" (https://docs.nautobot.com/projects/chatops/en/ltm-1.6/user/app_faq/), never the body's reason.
        // The command runs on the application's lifetime, not the request's: it may finish after Slack got its answer.
        // Answers that take longer than the ack budget come afterwards through response_url. It runs on its own
        // thread from its first line, so a store call that blocks (a slow disk) is counted by the budget too.
        var ackBudget = SlackBackgroundWork.StartAckBudget(time, cancellationToken);
        var work = Task.Run(() => ExecuteAsync(commands, forwarder, forwards, slack, time, command, userName, responseUrl, lifetime.ApplicationStopping));
        if (await SlackBackgroundWork.FinishedWithinAckBudgetAsync(work, ackBudget))
        {
            return Ephemeral(await work);
        }

        _ = AnswerLateAsync(work, slack, responseUrl, logger, lifetime.ApplicationStopping);
        return Ephemeral("Working on it… the answer will follow here.");
    }

    private static async Task<string> ExecuteAsync(
        CommandDispatcher commands,
        Forwarder forwarder,
        SlackForwardBuilder forwards,
        SlackApiClient slack,
        TimeProvider time,
        CommandRequest request,
        string userName,
        string? responseUrl,
        CancellationToken cancellationToken)
    {
        if (request.Command.Verb == CommandVerb.Send)
        {
            // Routed before the forward is built: building asks users.info, which a channel that cannot send must not cost.
            var route = await forwarder.RouteAsync(request.Channel, cancellationToken);
            request = request with { Route = route };
            if (route.Refusal is null)
            {
                var forward = SlackForwardBuilder.NewForward(request.Channel.WorkspaceId, request.Channel.ChannelId, request.UserId, userName);
                forward.Text = await forwards.ToWhatsAppTextAsync(request.Command.Argument, cancellationToken);
                forward.Announce = true;
                forward.Reply.ResponseUrl = responseUrl;
                request = request with { Forward = forward };
                if (SendTime.Read(request.Command.Argument, TimeZoneInfo.Utc, time.GetUtcNow()) is not null)
                {
                    // A scheduled send's time is in the sender's zone: users.info says it (cached, as for names).
                    request = request with { TimeZone = await TimeZoneAsync(slack, request.UserId, cancellationToken) };
                }
            }
        }

        return await commands.ExecuteAsync(request, cancellationToken);
    }

    /// <summary>The user's time zone, or null (times then read as UTC, and the answer says so) when Slack does not say.</summary>
    private static async Task<string?> TimeZoneAsync(SlackApiClient slack, string userId, CancellationToken cancellationToken)
    {
        try
        {
            return (await slack.GetUserAsync(userId, cancellationToken)).Tz;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && exception is not OutOfMemoryException)
        {
            // Without users:read, say.
            return null;
        }
    }

    private static async Task AnswerLateAsync(Task<string> work, SlackApiClient slack, string? responseUrl, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await work;
            if (responseUrl is not null)
            {
                // Escaped exactly like an immediate answer (Ephemeral below): &, < and > are Slack's control characters.
                await slack.RespondAsync(responseUrl, SlackText.Escape(answer), cancellationToken);
            }
        }
        catch (Exception exception)
        {
            Log.LateAnswerFailed(logger, exception.GetType().Name, LogValue.Clean(exception.Message));
        }
    }

    private static IResult Ephemeral(string text) =>
        TypedResults.Json(new SlackResponseUrlMessage(SlackText.Escape(text)), SlackJson.Default.SlackResponseUrlMessage);

    private static string? Field(Dictionary<string, StringValues> form, string name) =>
        form.TryGetValue(name, out var value) ? value.ToString() : null;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "A late command answer could not be posted to Slack: {Error} {Reason}")]
        public static partial void LateAnswerFailed(ILogger logger, string error, string reason);
    }
}
