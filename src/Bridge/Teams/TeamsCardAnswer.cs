using System.Text.Json.Nodes;

namespace Bridge.Teams;

/// <summary>
/// What a press on a card's button answers: a card that replaces the pressed one (with the text that goes with it), a
/// card that asks the presser something, or a message for the presser, leaving the card as it was. A press arrives as
/// an <c>adaptiveCard/action</c> invoke, answered in its response, which only the presser sees; or, from a client
/// without Universal Actions, as a message from the button's <c>Action.Submit</c> fallback, answered in the
/// conversation (<see cref="TeamsActivityHandler"/>): a redrawn card replaces the pressed one there, a question is a
/// new reply, so the pressed card stays as everyone else saw it.
/// </summary>
internal sealed record TeamsCardAnswer(JsonObject? Card, string Text, bool Replaces)
{
    /// <summary>The pressed card as it now stands (decided, sent again), for everyone.</summary>
    public static TeamsCardAnswer Redraw(string text, JsonObject card) => new(card, text, Replaces: true);

    /// <summary>A question for the presser (confirm a send that may go twice).</summary>
    public static TeamsCardAnswer Ask(string text, JsonObject card) => new(card, text, Replaces: false);

    public static TeamsCardAnswer Tell(string text) => new(null, text, Replaces: false);

    /// <summary>
    /// The invoke's AdaptiveCardInvokeResponse
    /// (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards):
    /// the card, shown to the presser in place of the pressed one, or a message only the presser sees.
    /// </summary>
    public IResult ToInvokeResponse() => Card is { } card
        ? Answer(TeamsCardAttachment.AdaptiveCard, card)
        : Answer("application/vnd.microsoft.activity.message", JsonValue.Create(Text));

    private static IResult Answer(string type, JsonNode value) =>
        TypedResults.Text(new JsonObject { ["statusCode"] = 200, ["type"] = type, ["value"] = value }.ToJsonString(), "application/json");
}
