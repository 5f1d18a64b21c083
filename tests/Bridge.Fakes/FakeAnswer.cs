namespace Bridge.Fakes;

/// <summary>A scripted answer to a send.</summary>
public sealed record FakeAnswer(int Status = 201, string? Detail = null, int? RetryAfterSeconds = null, TimeSpan? Delay = null, bool DropConnection = false);
