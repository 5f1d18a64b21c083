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

    /// <summary>The member of an <c>Action.Submit</c> fallback's data that carries the verb.</summary>
    public const string VerbKey = "verb";

    /// <summary>
    /// A button whose press sends <paramref name="verb"/> and <paramref name="data"/> back in the invoke. A client
    /// without Universal Actions shows its <c>Action.Submit</c> fallback instead, as Teams advises, whose press arrives
    /// as a message whose value is the data with the verb in <see cref="VerbKey"/>.
    /// </summary>
    public static JsonObject Execute(string title, string verb, JsonObject data)
    {
        var submitted = (JsonObject)data.DeepClone();
        submitted[VerbKey] = verb;
        return new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = title,
            ["verb"] = verb,
            ["data"] = data,
            ["fallback"] = new JsonObject { ["type"] = "Action.Submit", ["title"] = title, ["data"] = submitted },
        };
    }
}
