namespace Bridge.Bench.Load;

/// <summary>One answer: how long it took, what it was, and for a failure, why (status or exception).</summary>
internal readonly record struct Sample(double Milliseconds, Outcome Outcome, string? Failure = null);
