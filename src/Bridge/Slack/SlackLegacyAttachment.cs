using System.Text.Json.Serialization;

namespace Bridge.Slack;

/// <summary>A legacy message attachment (https://docs.slack.dev/messaging/formatting-message-text#when-to-use-attachments); only the fields Bridge forwards.</summary>
internal sealed record SlackLegacyAttachment(
    string? Fallback,
    string? Pretext,
    string? Title,
    [property: JsonPropertyName("title_link")] string? TitleLink,
    string? Text,
    IReadOnlyList<SlackAttachmentField>? Fields,
    [property: JsonPropertyName("image_url")] string? ImageUrl);
