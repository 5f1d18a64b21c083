namespace Bridge.Fakes;

public sealed record ReceivedSend(
    DateTimeOffset At,
    string SessionId,
    string? To,
    string? Type,
    string? Message,
    string? Url,
    string? MimeType,
    int Answer = 0,
    string? MessageId = null);
