namespace Bridge.Admin;

/// <summary>A TalkNTalk phone (session); only an <c>open</c> one can send.</summary>
internal sealed record PhoneView(string SessionId, string? Name, string? Status, string? PhoneNumber, bool IsOpen, bool IsDefault);
