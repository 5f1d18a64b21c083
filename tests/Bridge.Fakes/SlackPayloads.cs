using System.Text.Json.Nodes;

namespace Bridge.Fakes;

/// <summary>Interaction and Events API payloads shaped like the documented ones in fixtures/.</summary>
public static class SlackPayloads
{
    public static JsonObject MessageAction(string text, string ts = "1767224100.123459", string? threadTs = null, JsonArray? files = null,
        string callbackId = "send_to_whatsapp", string channelId = "C08QWERTY12", string? responseUrl = null, string type = "message_action")
    {
        var message = new JsonObject { ["type"] = "message", ["user"] = "U05REPORTER1", ["text"] = text, ["ts"] = ts, ["team"] = "T08ABCD1234" };
        if (threadTs is not null)
        {
            message["thread_ts"] = threadTs;
        }

        if (files is not null)
        {
            message["files"] = files;
        }

        return new JsonObject
        {
            ["type"] = type,
            ["token"] = "gIkuvaNzQIHg97ATvDxqgjtO",
            ["action_ts"] = "1767225601.384216",
            ["team"] = new JsonObject { ["id"] = "T08ABCD1234", ["domain"] = "acme-ops" },
            ["user"] = new JsonObject { ["id"] = "U07ZXCVB456", ["username"] = "maria.lopez", ["name"] = "maria.lopez", ["team_id"] = "T08ABCD1234" },
            ["channel"] = new JsonObject { ["id"] = channelId, ["name"] = "ops-alerts" },
            ["is_enterprise_install"] = false,
            ["enterprise"] = null,
            ["callback_id"] = callbackId,
            ["trigger_id"] = "8412345678901.8123456789012.5f0c2b7e9a1d4c6b8e3f2a1d0c9b8a7e",
            ["response_url"] = responseUrl ?? "https://hooks.slack.com/app/T08ABCD1234/1/x",
            ["message_ts"] = ts,
            ["message"] = message,
        };
    }

    /// <summary>An Events API <c>app_mention</c> outside a thread, as in fixtures/slack-events-app-mention.json.</summary>
    public static JsonObject AppMention(string text, string ts, string botUserId, string channelId = "C08QWERTY12", string teamId = "T08ABCD1234") => new()
    {
        ["token"] = "gIkuvaNzQIHg97ATvDxqgjtO",
        ["team_id"] = teamId,
        ["api_app_id"] = "A08BRIDGE01",
        ["event"] = new JsonObject
        {
            ["type"] = "app_mention", ["user"] = "U07ZXCVB456", ["text"] = text, ["ts"] = ts, ["team"] = teamId, ["channel"] = channelId, ["event_ts"] = ts,
        },
        ["type"] = "event_callback",
        ["event_id"] = "Ev" + ts.Replace(".", ""),
        ["event_time"] = long.Parse(ts[..ts.IndexOf('.')]),
        ["authorizations"] = new JsonArray(new JsonObject { ["team_id"] = teamId, ["user_id"] = botUserId, ["is_bot"] = true }),
    };

    public static JsonObject File(string name, string mimeType, long size, string url) => new()
    {
        ["id"] = "F" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(),
        ["name"] = name,
        ["title"] = name,
        ["mimetype"] = mimeType,
        ["size"] = size,
        ["mode"] = "hosted",
        ["url_private"] = url,
        ["url_private_download"] = url,
        ["file_access"] = "visible",
    };

    /// <summary>
    /// A <c>block_actions</c> payload: <paramref name="userId"/> pressed the button <paramref name="actionId"/> with
    /// <paramref name="value"/> on the message <paramref name="messageTs"/> (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload).
    /// </summary>
    public static JsonObject BlockActions(string actionId, string value, string userId, string messageTs, string responseUrl,
        string? threadTs = null, bool ephemeral = false, string channelId = "C08QWERTY12") => new()
    {
        ["type"] = "block_actions",
        ["team"] = new JsonObject { ["id"] = "T08ABCD1234", ["domain"] = "acme-ops" },
        ["user"] = new JsonObject { ["id"] = userId, ["username"] = "someone", ["name"] = "someone", ["team_id"] = "T08ABCD1234" },
        ["api_app_id"] = "A08BRIDGE01",
        ["token"] = "gIkuvaNzQIHg97ATvDxqgjtO",
        ["container"] = new JsonObject
        {
            ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channelId, ["is_ephemeral"] = ephemeral, ["thread_ts"] = threadTs,
        },
        ["trigger_id"] = "8412345678901.8123456789012.5f0c2b7e9a1d4c6b8e3f2a1d0c9b8a7e",
        ["channel"] = new JsonObject { ["id"] = channelId, ["name"] = "ops-alerts" },
        ["response_url"] = responseUrl,
        ["actions"] = new JsonArray(new JsonObject
        {
            ["type"] = "button", ["action_id"] = actionId, ["block_id"] = "b1", ["value"] = value, ["action_ts"] = "1767225700.000300",
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Send again" },
        }),
    };

    /// <summary>The form body Slack posts to the interactivity URL.</summary>
    public static string Form(JsonNode payload) => "payload=" + Uri.EscapeDataString(payload.ToJsonString());
}
