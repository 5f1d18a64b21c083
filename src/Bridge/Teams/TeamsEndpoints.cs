using System.Text.Json;
using Bridge.Forwarding;
using Bridge.Http;
using Microsoft.Extensions.Options;

namespace Bridge.Teams;

internal static partial class TeamsEndpoints
{
    /// <summary>Far above any activity: Teams messages are limited to about 100 KB.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/messages", HandleAsync).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpRequest request,
        IOptions<TeamsOptions> options,
        TeamsAuthenticator authenticator,
        TeamsServiceHosts serviceHosts,
        TeamsActivityHandler handler,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(TeamsEndpoints));
        if (!options.Value.IsConfigured)
        {
            return TypedResults.Problem("Teams is not configured on this Bridge.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        // The token is checked before the body is read; what it says about the activity is checked right after.
        var (caller, status, reason) = await authenticator.AuthenticateAsync(request.Headers.Authorization, cancellationToken);
        if (caller is null)
        {
            return Refuse(logger, status, reason!);
        }

        var body = await BoundedBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem($"The activity is larger than {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        TeamsActivity? activity;
        try
        {
            activity = JsonSerializer.Deserialize(body, TeamsJson.Default.TeamsActivity);
        }
        catch (JsonException)
        {
            activity = null;
        }

        if (activity?.Type is null)
        {
            return TypedResults.Problem("The body is not a Bot Framework activity.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (caller.Refuse(activity) is { } refusal)
        {
            return Refuse(logger, refusal.Status, refusal.Reason);
        }

        // Replies carry the bot's token to the serviceUrl: one off the list is refused before anything is stored.
        if (!serviceHosts.IsAllowed(activity.ServiceUrl))
        {
            return Refuse(logger, StatusCodes.Status401Unauthorized, "the activity's serviceUrl is not a host in Teams:AllowedServiceHosts or the Bot Connector's");
        }

        if (activity.Id?.Length > InboundIds.MaxLength)
        {
            return TypedResults.Problem(InboundIds.TooLongReason("activity id"), statusCode: StatusCodes.Status400BadRequest);
        }

        return await handler.HandleAsync(activity, cancellationToken);
    }

    private static IResult Refuse(ILogger logger, int status, string reason)
    {
        // Reasons may quote the activity (its channel id): cleaned and capped before they reach the log.
        Log.Refused(logger, status, LogValue.Clean(reason));
        return TypedResults.Problem(
            status == StatusCodes.Status503ServiceUnavailable ? "The token signing keys cannot be fetched right now." : "The request is not from the Bot Connector for this bot.",
            statusCode: status);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Teams request refused with {Status}: {Reason}")]
        public static partial void Refused(ILogger logger, int status, string reason);
    }
}
