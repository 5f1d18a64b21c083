namespace Bridge.Forwarding;

/// <summary>What became of a request to send a delivery job again (<see cref="DeliveryRetry"/>).</summary>
internal abstract record RetryOutcome
{
    private RetryOutcome()
    {
    }

    /// <summary>The new job, pending at the end of its group's queue.</summary>
    public sealed record Retried(DeliveryJob Job) : RetryOutcome;

    public sealed record NotFound : RetryOutcome;

    /// <summary>Nothing was recorded; <see cref="Sentence"/> says why. <see cref="NeedsConfirmation"/>: asked again with confirm, it goes.</summary>
    public sealed record Refused(string Sentence, bool NeedsConfirmation = false) : RetryOutcome;
}
