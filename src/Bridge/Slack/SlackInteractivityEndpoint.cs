using System.Text;
using System.Text.Json;
using Bridge.Forwarding;
using Microsoft.AspNetCore.WebUtilities;

namespace Bridge.Slack;

/// <summary><c>POST /slack/interactivity</c>: a form with one field, <c>payload</c>, holding the interaction as JSON.</summary>
internal static partial class SlackInteractivityEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpRequest request,
        SlackRequestReader reader,
        SlackShortcuts shortcuts,
        SlackApprovalActions approvals,
        SlackSendAgainActions sendAgain,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILogger<SlackShortcuts> logger,
        CancellationToken cancellationToken)
    {
        var (body, refusal) = await reader.ReadVerifiedAsync(request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body!));
        if (!form.TryGetValue("payload", out var payload) || string.IsNullOrWhiteSpace(payload.ToString()))
        {
            return BadRequest("The interaction has no payload field.");
        }

        SlackInteraction? interaction;
        try
        {
            interaction = JsonSerializer.Deserialize(payload.ToString(), SlackPayloadJson.Default.SlackInteraction);
        }
        catch (JsonException)
        {
            return BadRequest("The interaction payload is not valid JSON.");
        }

        if (interaction is null)
        {
            return BadRequest("The interaction payload is empty.");
        }

        if (interaction.Type == "block_actions" && interaction.Actions is [{ ActionId: { } actionId } action, ..])
        {
            if (actionId.StartsWith(SlackApprovalActions.Prefix, StringComparison.Ordinal))
            {
                return await approvals.HandleAsync(interaction, action, cancellationToken);
            }

            if (actionId.StartsWith(SlackSendAgainActions.Prefix, StringComparison.Ordinal))
            {
                return await sendAgain.HandleAsync(interaction, action, cancellationToken);
            }
        }

        if (!SlackShortcuts.Handles(interaction))
        {
            Log.Ignored(logger, LogValue.Clean(interaction.Type ?? "(none)"), LogValue.Clean(interaction.CallbackId ?? "(none)"));
            return TypedResults.Ok();
        }

        if (SlackShortcuts.Missing(interaction) is { } missing)
        {
            return BadRequest($"The message shortcut payload is missing {missing}.");
        }

        if (InboundIds.FirstTooLong(("team.id", interaction.Team!.Id), ("channel.id", interaction.Channel!.Id), ("user.id", interaction.User!.Id),
                ("message.ts", interaction.Message!.Ts), ("message.thread_ts", interaction.Message.ThreadTs)) is { } tooLong)
        {
            return BadRequest(InboundIds.TooLongReason(tooLong));
        }

        await SlackBackgroundWork.RunWithinAckBudgetAsync(
            ct => shortcuts.ForwardAsync(interaction, ct), time, lifetime, logger, cancellationToken);
        return TypedResults.Ok();
    }

    private static IResult BadRequest(string reason) =>
        TypedResults.Problem(reason, statusCode: StatusCodes.Status400BadRequest);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Ignored a Slack interaction of type {Type} ({CallbackId})")]
        public static partial void Ignored(ILogger logger, string type, string callbackId);
    }
}
