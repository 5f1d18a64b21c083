namespace Bridge.Bench.Load;

/// <summary>What a closed-loop run measured: every answer completed inside the measured window.</summary>
internal sealed record LoadResult(int Clients, TimeSpan Duration, IReadOnlyList<Sample> Samples)
{
    private double[] Latencies => Samples.Select(s => s.Milliseconds).ToArray();

    public int Accepted => Samples.Count(s => s.Outcome == Outcome.Accepted);
    public int Late => Samples.Count(s => s.Outcome == Outcome.Late);
    public int Failed => Samples.Count(s => s.Outcome == Outcome.Failed);
    public double AcceptedPerSecond => Accepted / Duration.TotalSeconds;
    public double P50 => Percentiles.Of(Latencies, 50);
    public double P99 => Percentiles.Of(Latencies, 99);
    /// <summary>Why answers failed, most frequent first.</summary>
    public IEnumerable<string> FailureReasons => Samples
        .Where(s => s.Failure is not null)
        .GroupBy(s => s.Failure!)
        .OrderByDescending(g => g.Count())
        .Select(g => $"{g.Count()} × {g.Key}");

    /// <summary>Answers (of any outcome) that took longer than <paramref name="milliseconds"/>.</summary>
    public int Slower(double milliseconds) => Samples.Count(s => s.Milliseconds > milliseconds);

    public double Max => Samples.Count == 0 ? double.NaN : Samples.Max(s => s.Milliseconds);
}
