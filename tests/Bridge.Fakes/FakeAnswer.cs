namespace Bridge.Fakes;

/// <summary>
/// A scripted answer to a send. With <see cref="BodyReleased"/>, a 201 sends its headers at once and its body only when
/// that task completes (or never, if the client gives up first).
/// </summary>
public sealed record FakeAnswer(int Status = 201, string? Detail = null, int? RetryAfterSeconds = null, TimeSpan? Delay = null, bool DropConnection = false,
    Task? BodyReleased = null);
