namespace Bridge.Bench.Scenarios;

/// <summary>One media16mb measurement: memory in bytes, times in milliseconds from posting the shortcut(s), slowest video.</summary>
internal sealed record MediaRun(
    int Videos,
    long RssBefore,
    long PeakRss,
    bool PeakReset,
    long MaxSample,
    double Acked,
    double Downloaded,
    double SendReceived,
    double Fetched,
    bool Identical);
