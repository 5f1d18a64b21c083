namespace Bridge.Forwarding;

internal sealed record DeliveryAttempt(DateTimeOffset At, int Part, string Outcome, int? StatusCode, string? Detail)
{
    /// <summary>The outcome of a part whose file could not be fetched; <see cref="Detail"/> says which file and why.</summary>
    public const string MediaFailed = "media-failed";

    /// <summary>The outcome of a send Bridge held back (open circuit, full rate limit queue): nothing was tried.</summary>
    public const string Deferred = "Deferred";
}
