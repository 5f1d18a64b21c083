using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bridge.WhatsApp;

internal sealed record Organisation(string? Id, string? Name, string? Slug);

internal sealed record PingResponse(string? Api, string? Version, Organisation? Organisation);

internal sealed record Phone(
    [property: JsonPropertyName("chat_id")] string ChatId,
    string? Name,
    string? Status,
    [property: JsonPropertyName("phone_number")] string? PhoneNumber)
{
    /// <summary>Only an <c>open</c> session can send.</summary>
    public bool IsOpen => string.Equals(Status, "open", StringComparison.OrdinalIgnoreCase);
}

internal sealed record PhoneList(IReadOnlyList<Phone> Phones);

internal sealed record Group(
    [property: JsonPropertyName("chat_id")] string ChatId,
    string? Name,
    string? Description,
    [property: JsonPropertyName("participant_count")] int? ParticipantCount,
    [property: JsonPropertyName("is_admin")] bool? IsAdmin);

internal sealed record GroupPage(
    int Total,
    int Page,
    [property: JsonPropertyName("page_size")] int PageSize,
    [property: JsonPropertyName("total_pages")] int TotalPages,
    string? Next,
    string? Previous,
    IReadOnlyList<Group> Groups);

/// <summary>A Send Group Message request body.</summary>
internal sealed record GroupMessage(
    string To,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url = null,
    [property: JsonPropertyName("mime_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MimeType = null);

internal sealed record SendResult(
    bool Success,
    [property: JsonPropertyName("message_id")] string? MessageId,
    string? Status,
    string? To,
    string? Type);

internal sealed record ErrorBody(string? Detail);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PingResponse))]
[JsonSerializable(typeof(PhoneList))]
[JsonSerializable(typeof(GroupPage))]
[JsonSerializable(typeof(GroupMessage))]
[JsonSerializable(typeof(SendResult))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class TalkNTalkJson : JsonSerializerContext;
