namespace Bridge.Admin;

/// <summary>A TalkNTalk phone (session); only an <c>open</c> one can send.</summary>
public sealed record PhoneView(string SessionId, string? Name, string? Status, string? PhoneNumber, bool IsOpen, bool IsDefault);
