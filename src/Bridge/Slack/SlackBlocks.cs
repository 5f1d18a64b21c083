using System.Text.Json.Nodes;

namespace Bridge.Slack;

/// <summary>The Block Kit pieces Bridge's messages are made of (https://docs.slack.dev/reference/block-kit/blocks).</summary>
internal static class SlackBlocks
{
    /// <summary>A section's text may hold 3,000 characters (https://docs.slack.dev/reference/block-kit/blocks/section-block).</summary>
    public const int SectionLimit = 3000;

    public static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = SlackText.Cut(mrkdwn, SectionLimit) },
    };

    public static JsonObject Actions(params JsonNode[] buttons) => new() { ["type"] = "actions", ["elements"] = new JsonArray(buttons) };

    /// <param name="style"><c>primary</c>, <c>danger</c>, or null for the default.</param>
    public static JsonObject Button(string label, string actionId, string value, string? style = null)
    {
        var button = new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = actionId,
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = label },
            ["value"] = value,
        };
        if (style is not null)
        {
            button["style"] = style;
        }

        return button;
    }
}
