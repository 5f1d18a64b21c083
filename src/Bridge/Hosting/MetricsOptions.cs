using System.ComponentModel.DataAnnotations;

namespace Bridge.Hosting;

/// <summary>The <c>Metrics</c> section: where Prometheus metrics are served.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// The management port that serves <c>/metrics</c>, beside the service's own addresses; no other port serves it,
    /// and without it metrics are not served at all.
    /// </summary>
    [Range(1, 65535)]
    public int? Port { get; set; }
}
