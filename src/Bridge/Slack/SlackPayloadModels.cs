using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bridge.Slack;

/// <summary>An interaction payload (the <c>payload</c> form field of /slack/interactivity); only the fields Bridge reads.</summary>
internal sealed record SlackInteraction(
    string? Type,
    string? CallbackId,
    SlackTeamRef? Team,
    SlackUserRef? User,
    SlackChannelRef? Channel,
    string? ResponseUrl,
    SlackMessagePayload? Message)
{
    /// <summary>The buttons pressed, in a <c>block_actions</c> payload (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload).</summary>
    [JsonPropertyName("actions")] public List<SlackBlockAction>? Actions { get; set; }

    /// <summary>The message the buttons are on.</summary>
    [JsonPropertyName("container")] public SlackContainer? Container { get; set; }
}

/// <summary>A pressed button of a <c>block_actions</c> payload.</summary>
internal sealed class SlackBlockAction
{
    [JsonPropertyName("action_id")] public string? ActionId { get; set; }
    [JsonPropertyName("block_id")] public string? BlockId { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
}

/// <summary>The message that holds the pressed button.</summary>
internal sealed class SlackContainer
{
    [JsonPropertyName("message_ts")] public string? MessageTs { get; set; }
    [JsonPropertyName("channel_id")] public string? ChannelId { get; set; }
    [JsonPropertyName("thread_ts")] public string? ThreadTs { get; set; }
    [JsonPropertyName("is_ephemeral")] public bool? IsEphemeral { get; set; }
}

internal sealed record SlackTeamRef(string? Id);

internal sealed record SlackUserRef(string? Id, string? Username, string? Name);

internal sealed record SlackChannelRef(string? Id, string? Name);

internal sealed record SlackMessagePayload(
    string? Text,
    string? Ts,
    string? ThreadTs,
    IReadOnlyList<SlackFile>? Files,
    IReadOnlyList<JsonElement>? Blocks = null,
    IReadOnlyList<SlackLegacyAttachment>? Attachments = null);

/// <summary>
/// A Slack file object (https://api.slack.com/types/file), in events and in files.info answers alike, so its snake_case
/// names are spelled out. A Slack Connect file comes as an id with <c>file_access: check_file_info</c> and nothing else.
/// </summary>
internal sealed record SlackFile(
    string? Id,
    string? Name,
    string? Title,
    string? Mimetype,
    long? Size,
    string? Mode,
    [property: JsonPropertyName("url_private")] string? UrlPrivate,
    [property: JsonPropertyName("url_private_download")] string? UrlPrivateDownload,
    [property: JsonPropertyName("file_access")] string? FileAccess = null,
    string? Subtype = null,
    [property: JsonPropertyName("media_display_type")] string? MediaDisplayType = null);

/// <summary>An Events API request: <c>url_verification</c> or an <c>event_callback</c> envelope.</summary>
internal sealed record SlackEventEnvelope(
    string? Type,
    string? Challenge,
    string? TeamId,
    string? EventId,
    SlackEvent? Event,
    IReadOnlyList<SlackAuthorization>? Authorizations);

internal sealed record SlackEvent(
    string? Type,
    string? User,
    string? BotId,
    string? Text,
    string? Ts,
    string? ThreadTs,
    string? Channel,
    IReadOnlyList<SlackFile>? Files,
    IReadOnlyList<SlackLegacyAttachment>? Attachments = null);

internal sealed record SlackAuthorization(string? UserId);

internal sealed record SlackChallenge(string Challenge);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SlackInteraction))]
[JsonSerializable(typeof(SlackEventEnvelope))]
[JsonSerializable(typeof(SlackChallenge))]
internal sealed partial class SlackPayloadJson : JsonSerializerContext;
