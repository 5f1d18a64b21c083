namespace Bridge.Forwarding;

/// <summary>
/// One try at one part of a job. <see cref="Outcome"/> is the stored machine value: one of the constants below or a
/// failure the WhatsApp client named (NotTaken, Rejected, Unknown); the admin history tells it as an
/// <c>AttemptOutcome</c> with a sentence, never as this word.
/// </summary>
internal sealed record DeliveryAttempt(DateTimeOffset At, int Part, string Outcome, int? StatusCode, string? Detail)
{
    /// <summary>When the next attempt was put off to, for an attempt followed by a wait; null otherwise and in older rows.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>WhatsApp took the part and answered with its message id.</summary>
    public const string Sent = "sent";

    /// <summary>Something other than WhatsApp's answer failed after the part was marked sending: possibly delivered.</summary>
    public const string Error = "error";

    /// <summary>Bridge stopped while the part was being sent: possibly delivered.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>The outcome of a part whose file could not be fetched; <see cref="Detail"/> says which file and why.</summary>
    public const string MediaFailed = "media-failed";

    /// <summary>The outcome of a send Bridge held back (open circuit, full rate limit queue): nothing was tried.</summary>
    public const string Deferred = "Deferred";
}
