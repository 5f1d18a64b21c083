using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Bridge.Slack;

/// <summary>
/// Every answer of the methods Bridge calls. <c>needed</c> names the scope a <c>missing_scope</c> lacks; <c>channel</c> is an
/// id in chat.postMessage and an object in conversations.open; <c>file</c> answers files.info.
/// </summary>
internal sealed record SlackResponse(
    bool Ok,
    string? Error,
    string? Needed,
    string? Ts,
    [property: JsonPropertyName("message_ts")] string? MessageTs,
    JsonElement? Channel,
    SlackUser? User,
    string? Team,
    [property: JsonPropertyName("user_id")] string? UserId,
    SlackFile? File = null);

internal sealed record SlackUser(
    string Id,
    string? Name,
    [property: JsonPropertyName("is_admin")] bool IsAdmin,
    [property: JsonPropertyName("is_owner")] bool IsOwner,
    [property: JsonPropertyName("is_primary_owner")] bool IsPrimaryOwner,
    [property: JsonPropertyName("real_name")] string? RealName,
    SlackProfile? Profile,
    // The user's IANA time zone, e.g. "Africa/Johannesburg" (https://docs.slack.dev/reference/methods/users.info).
    string? Tz = null)
{
    public string DisplayName =>
        new[] { Profile?.DisplayName, Profile?.RealName, RealName, Name }.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) ?? Id;
}

internal sealed record SlackProfile(
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("real_name")] string? RealName);

internal sealed record SlackMessage(
    string Channel,
    string Text,
    [property: JsonPropertyName("thread_ts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ThreadTs = null,
    [property: JsonPropertyName("unfurl_links")] bool UnfurlLinks = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonArray? Blocks = null);

/// <summary>chat.update (https://docs.slack.dev/reference/methods/chat.update): the text and blocks replace the message's.</summary>
internal sealed record SlackMessageUpdate(string Channel, string Ts, string Text, JsonArray Blocks);

internal sealed record SlackEphemeralMessage(
    string Channel,
    string User,
    string Text,
    [property: JsonPropertyName("thread_ts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ThreadTs = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonArray? Blocks = null);

/// <summary>
/// A response_url message (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses): a new
/// private message, or, with <c>replace_original</c>, the pressed message redrawn (which keeps its own visibility, so
/// <see cref="ResponseType"/> is then left out).
/// </summary>
internal sealed record SlackResponseUrlMessage(
    string Text,
    [property: JsonPropertyName("response_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ResponseType = "ephemeral",
    [property: JsonPropertyName("replace_original"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ReplaceOriginal = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonArray? Blocks = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SlackResponse))]
[JsonSerializable(typeof(SlackMessage))]
[JsonSerializable(typeof(SlackMessageUpdate))]
[JsonSerializable(typeof(SlackResponseUrlMessage))]
[JsonSerializable(typeof(SlackEphemeralMessage))]
internal sealed partial class SlackJson : JsonSerializerContext;
