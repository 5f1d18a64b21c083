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
    public double Max => Samples.Count == 0 ? double.NaN : Samples.Max(s => s.Milliseconds);
}
