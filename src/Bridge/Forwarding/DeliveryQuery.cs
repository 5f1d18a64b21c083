namespace Bridge.Forwarding;

public sealed record DeliveryQuery(
    Platform? Platform = null,
    string? ChannelId = null,
    string? GroupId = null,
    DeliveryStatus? Status = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    int Skip = 0,
    int Take = 50);
