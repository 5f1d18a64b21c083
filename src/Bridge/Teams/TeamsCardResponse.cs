using System.Text.Json.Nodes;

namespace Bridge.Teams;

/// <summary>
/// The answer to an <c>adaptiveCard/action</c> invoke, an AdaptiveCardInvokeResponse
/// (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards):
/// a card that replaces the pressed one, or a message only the presser sees, leaving the card as it was.
/// </summary>
internal static class TeamsCardResponse
{
    public static IResult Card(JsonObject card) => Answer(TeamsCardAttachment.AdaptiveCard, card);

    public static IResult Message(string text) => Answer("application/vnd.microsoft.activity.message", JsonValue.Create(text));

    private static IResult Answer(string type, JsonNode value) =>
        TypedResults.Text(new JsonObject { ["statusCode"] = 200, ["type"] = type, ["value"] = value }.ToJsonString(), "application/json");
}
