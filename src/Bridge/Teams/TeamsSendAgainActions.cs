using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Commands;
using Bridge.Forwarding;

namespace Bridge.Teams;

/// <summary>
/// The Send again action of a failed or possibly delivered outcome in Teams: an Adaptive Card with an
/// <c>Action.Execute</c> (Universal Actions), whose press is answered (<see cref="TeamsCardAnswer"/>) with a card that
/// replaces the pressed one, or a message only the presser sees.
/// </summary>
internal sealed class TeamsSendAgainActions(SendAgain sendAgain, AdminCheck admins)
{
    public const string Prefix = "send-again.";
    private const string Press = Prefix + "press";
    private const string Confirm = Prefix + "confirm";
    /// <summary>The data member that carries <see cref="SendAgain.Value"/>.</summary>
    private const string ValueKey = "sendAgain";

    /// <summary>The outcome as a card, with the Send again action when it offers any job.</summary>
    public static JsonObject OutcomeCard(string text, string? value) =>
        Card([Text(text)], value is null ? [] : [Action("Send again", Press, value)]);

    public async Task<TeamsCardAnswer> HandleAsync(TeamsActivity activity, TeamsCardAction action, CancellationToken cancellationToken)
    {
        // The user id is the sender's AAD object id, as forwards record it (the account id only when Teams gives none).
        var userId = activity.From?.AadObjectId ?? activity.From?.Id ?? "";
        if (activity.Channel is not { } channel || userId.Length == 0)
        {
            return TeamsCardAnswer.Tell("Teams did not say who pressed the button or where, so nothing was sent.");
        }

        var value = action.Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty(ValueKey, out var carried) && carried.ValueKind == JsonValueKind.String
            ? carried.GetString()
            : null;
        var confirmed = action.Verb == Confirm;
        var result = await sendAgain.PressAsync(
            value, channel, userId, ct => admins.IsAdminAsync(Platform.Teams, userId, ct),
            SendAgain.RetriedBy($"Teams user {userId}"), confirmed, cancellationToken);
        return result switch
        {
            SendAgainResult.SentAgain sent => TeamsCardAnswer.Redraw(sent.Outcome, Card(
                [Text(sent.Outcome), Text(SendAgain.SentAgainLine(string.IsNullOrWhiteSpace(activity.From?.Name) ? "someone" : activity.From.Name, sent.At))], [])),
            // Asked of the presser alone: the outcome card stays as everyone else sees it.
            SendAgainResult.NeedsConfirmation confirmation => TeamsCardAnswer.Ask(confirmation.Sentence, Card([Text(confirmation.Sentence)], [Action("Send anyway", Confirm, value!)])),
            SendAgainResult.Refused refused => TeamsCardAnswer.Tell(refused.Sentence),
            _ => TeamsCardAnswer.Tell(SendAgain.AlreadySentAgain),
        };
    }

    private static JsonObject Card(JsonNode[] body, JsonNode[] actions) => TeamsCards.Card(new JsonArray(body), new JsonArray(actions));

    private static JsonObject Text(string text) => new() { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };

    private static JsonObject Action(string title, string verb, string value) => TeamsCards.Execute(title, verb, new JsonObject { [ValueKey] = value });
}
