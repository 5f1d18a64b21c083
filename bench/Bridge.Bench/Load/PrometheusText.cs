using System.Globalization;

namespace Bridge.Bench.Load;

/// <summary>Reads one value from a Prometheus text exposition (what <c>GET /metrics</c> answers).</summary>
internal static class PrometheusText
{
    /// <summary>The sample named exactly <paramref name="name"/> (no labels), or null when it is not exposed (yet).</summary>
    public static double? Value(string exposition, string name) => exposition
        .Split('\n')
        .Where(line => line.StartsWith(name + " ", StringComparison.Ordinal))
        .Select(line => (double?)double.Parse(line[(name.Length + 1)..].Trim(), CultureInfo.InvariantCulture))
        .FirstOrDefault();
}
