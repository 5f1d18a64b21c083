using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bridge.Slack;

/// <summary>
/// A legacy message attachment (https://docs.slack.dev/legacy/legacy-messaging/legacy-secondary-message-attachments);
/// only the fields Bridge forwards.
/// </summary>
internal sealed record SlackLegacyAttachment(
    string? Fallback,
    string? Pretext,
    [property: JsonPropertyName("author_name")] string? AuthorName,
    string? Title,
    [property: JsonPropertyName("title_link")] string? TitleLink,
    string? Text,
    IReadOnlyList<SlackAttachmentField>? Fields,
    IReadOnlyList<JsonElement>? Blocks,
    string? Footer,
    [property: JsonPropertyName("image_url")] string? ImageUrl);
