using System.Diagnostics.Metrics;
using Bridge.Forwarding;

namespace Bridge.Delivery;

/// <summary>Bridge's own metrics (exported at /metrics with the runtime's and ASP.NET Core's).</summary>
internal sealed class DeliveryMetrics : IDisposable
{
    public const string MeterName = "Bridge";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _sends;
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _sendDuration;

    private readonly Meter _meter = new(MeterName);

    // Created directly rather than from IMeterFactory: the Prometheus exporter does not see factory-scoped meters.
    public DeliveryMetrics()
    {
        var meter = _meter;
        _accepted = meter.CreateCounter<long>("bridge.forwards.accepted", description: "Forwards accepted, by platform");
        _sends = meter.CreateCounter<long>("bridge.sends", description: "Requests to Send Group Message, by outcome");
        _finished = meter.CreateCounter<long>("bridge.jobs.finished", description: "Delivery jobs ended, by status");
        _sendDuration = meter.CreateHistogram<double>("bridge.send.duration", unit: "s", description: "Time of one Send Group Message request");
    }

    public void Accepted(Platform platform) => _accepted.Add(1, new KeyValuePair<string, object?>("platform", platform.ToString()));

    public void Sent(string outcome, TimeSpan duration)
    {
        _sends.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        _sendDuration.Record(duration.TotalSeconds);
    }

    public void Dispose() => _meter.Dispose();

    public void Finished(DeliveryStatus status) => _finished.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));
}
