namespace Bridge.Delivery;

/// <summary>Delays between durable retries of a job: exponential, jittered, capped; a provider's Retry-After wins.</summary>
internal static class Backoff
{
    public static TimeSpan Next(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan? retryAfter)
    {
        if (retryAfter is { } wait && wait > TimeSpan.Zero)
        {
            return wait < maxDelay ? wait : maxDelay;
        }

        var exponential = baseDelay * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = exponential < maxDelay ? exponential : maxDelay;
        // "Equal jitter": half fixed, half random, so retries of many jobs spread out but never come too soon.
        return capped / 2 + capped / 2 * Random.Shared.NextDouble();
    }
}
