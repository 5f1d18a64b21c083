using System.Text.Json.Nodes;

namespace Bridge.Teams;

/// <summary>
/// The Adaptive Cards Bridge posts and answers with, plain JSON (https://adaptivecards.io/explorer/). Their buttons are
/// Universal Actions (<c>Action.Execute</c>, schema 1.4), whose press arrives as an <c>adaptiveCard/action</c> invoke
/// (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards).
/// </summary>
internal static class TeamsCards
{
    public static JsonObject Card(JsonArray body, JsonArray? actions)
    {
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (actions is { Count: > 0 })
        {
            card["actions"] = actions;
        }

        return card;
    }

    /// <summary>A button whose press sends <paramref name="verb"/> and <paramref name="data"/> back in the invoke.</summary>
    public static JsonObject Execute(string title, string verb, JsonObject data) => new()
    {
        ["type"] = "Action.Execute",
        ["title"] = title,
        ["verb"] = verb,
        ["data"] = data,
    };
}
