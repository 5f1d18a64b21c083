using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Bridge.Forwarding;

namespace Bridge.Teams;

// Bot Framework activity shapes, only the members Bridge reads (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference). Everything is optional on the
// wire; the handler checks what it needs.

internal sealed record TeamsActivity(
    string? Type,
    string? Id,
    string? Name,
    string? ServiceUrl,
    string? ChannelId,
    TeamsAccount? From,
    TeamsConversation? Conversation,
    TeamsAccount? Recipient,
    string? Text,
    string? ReplyToId,
    List<TeamsAttachment>? Attachments,
    List<TeamsEntity>? Entities,
    TeamsChannelData? ChannelData,
    JsonElement? Value,
    // The sender's IANA time zone, e.g. "Europe/Berlin", on messages from a Teams client (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object).
    string? LocalTimezone = null)
{
    private const string MessageIdMarker = ";messageid=";

    /// <summary>Only channels have threads; group chats and personal chats refuse a <c>;messageid=</c> conversation.</summary>
    public bool IsChannel => Conversation?.ConversationType == "channel";

    /// <summary>The conversation id without its <c>;messageid=</c> thread suffix.</summary>
    public string BaseConversationId
    {
        get
        {
            var id = Conversation?.Id ?? "";
            var marker = id.IndexOf(MessageIdMarker, StringComparison.OrdinalIgnoreCase);
            return marker < 0 ? id : id[..marker];
        }
    }

    /// <summary>The root of the thread this message is in: the conversation's <c>;messageid=</c>, else the message itself.</summary>
    public string? ThreadRoot
    {
        get
        {
            var id = Conversation?.Id ?? "";
            var marker = id.IndexOf(MessageIdMarker, StringComparison.OrdinalIgnoreCase);
            return marker >= 0 ? id[(marker + MessageIdMarker.Length)..] : ReplyToId ?? Id;
        }
    }

    /// <summary>Links are per Teams channel (or per chat), in the tenant.</summary>
    public ChannelRef? Channel
    {
        get
        {
            var tenant = Conversation?.TenantId ?? ChannelData?.Tenant?.Id;
            var channel = ChannelData?.Channel?.Id ?? BaseConversationId;
            return string.IsNullOrEmpty(tenant) || string.IsNullOrEmpty(channel) ? null : new ChannelRef(Platform.Teams, tenant, channel);
        }
    }

    /// <summary>
    /// The channel's name as Teams gives it in <c>channelData</c>, "team › channel"
    /// (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/conversation-basics#teams-channel-data);
    /// null in chats, which have neither.
    /// </summary>
    public string? ChannelName =>
        string.Join(" › ", new[] { ChannelData?.Team?.Name, ChannelData?.Channel?.Name }.Where(n => !string.IsNullOrWhiteSpace(n))) is { Length: > 0 } name
            ? name
            : null;

    /// <summary>
    /// Where replies about this activity go: a reply to <paramref name="replyToId"/>, in its thread in a channel and
    /// in the chat itself otherwise, from the bot to the person who wrote.
    /// </summary>
    public ReplyTarget ReplyTarget(string? threadRoot, string? replyToId) => new()
    {
        ConversationId = BaseConversationId,
        ThreadId = IsChannel ? threadRoot : null,
        ServiceUrl = ServiceUrl,
        BotId = Recipient?.Id,
        BotName = Recipient?.Name,
        ReplyToId = replyToId,
        RecipientId = From?.Id,
        RecipientName = From?.Name,
    };
}

internal sealed record TeamsAccount(string? Id, string? Name, string? AadObjectId = null);

internal sealed record TeamsConversation(string? Id, string? ConversationType, string? TenantId);

/// <summary><c>content</c> is a string for <c>text/html</c> and an object for file download info, so it stays raw.</summary>
internal sealed record TeamsAttachment(string? Id, string? ContentType, string? ContentUrl, JsonElement? Content, string? Name);

internal sealed record TeamsEntity(string? Type, string? Text, TeamsAccount? Mentioned);

internal sealed record TeamsChannelData(TeamsIdRef? Channel, TeamsIdRef? Team, TeamsIdRef? Tenant);

/// <summary>An id with, for a team or channel, its display name (absent for a team's General channel and in chats).</summary>
internal sealed record TeamsIdRef(string? Id, string? Name = null);

/// <summary>The <c>value</c> of <c>composeExtension/fetchTask</c> and <c>composeExtension/submitAction</c>.</summary>
internal sealed record TeamsActionValue(string? CommandId, string? CommandContext, JsonElement? Data, TeamsMessagePayload? MessagePayload);

/// <summary>The message an action was invoked on, in the Microsoft Graph chatMessage shape.</summary>
internal sealed record TeamsMessagePayload(string? Id, string? ReplyToId, TeamsMessageBody? Body, TeamsMessageFrom? From, List<TeamsAttachment>? Attachments);

internal sealed record TeamsMessageBody(string? ContentType, string? Content);

internal sealed record TeamsMessageFrom(TeamsPayloadUser? User);

internal sealed record TeamsPayloadUser(string? Id, string? DisplayName);

/// <summary><c>application/vnd.microsoft.teams.file.download.info</c> content: a pre-authenticated, short-lived URL.</summary>
internal sealed record TeamsFileDownloadInfo(string? DownloadUrl, string? FileType);

/// <summary>"Create a reply" in the Bot Connector REST API: https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-send-and-receive-messages</summary>
internal sealed record TeamsOutgoingActivity(
    string Type,
    string Text,
    string TextFormat,
    string? ReplyToId,
    TeamsAccount From,
    TeamsAccount? Recipient,
    TeamsConversationRef Conversation,
    IReadOnlyList<TeamsCardAttachment>? Attachments = null,
    string? Id = null);

/// <summary>The Connector's answer to a post: the new activity's id, by which it is updated later.</summary>
internal sealed record TeamsResourceResponse(string? Id);

/// <summary>The value of an <c>adaptiveCard/action</c> invoke: the pressed <c>Action.Execute</c>.</summary>
internal sealed record TeamsCardInvoke(TeamsCardAction? Action);

internal sealed record TeamsCardAction(string? Type, string? Verb, JsonElement? Data);

internal sealed record TeamsConversationRef(string Id);

/// <summary>A card sent with an activity: https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-reference</summary>
internal sealed record TeamsCardAttachment(string ContentType, JsonObject Content)
{
    public const string AdaptiveCard = "application/vnd.microsoft.card.adaptive";
}

/// <summary>The answer to a message-extension invoke: <c>{"task":{"type":"message","value":"…"}}</c> shows a short pop-up.</summary>
internal sealed record TeamsTaskResponse(TeamsTaskMessage Task)
{
    public static TeamsTaskResponse Message(string text) => new(new TeamsTaskMessage("message", text));
}

internal sealed record TeamsTaskMessage(string Type, string Value);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TeamsActivity))]
[JsonSerializable(typeof(TeamsActionValue))]
[JsonSerializable(typeof(TeamsCardInvoke))]
[JsonSerializable(typeof(TeamsFileDownloadInfo))]
[JsonSerializable(typeof(TeamsOutgoingActivity))]
[JsonSerializable(typeof(TeamsResourceResponse))]
[JsonSerializable(typeof(TeamsTaskResponse))]
internal sealed partial class TeamsJson : JsonSerializerContext;
