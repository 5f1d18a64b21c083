namespace Bridge.Fakes;

/// <summary>A documented error answer: <c>{"ok":false,"error":…,"needed":…}</c>.</summary>
public sealed record SlackError(string Error, string? Needed = null);
