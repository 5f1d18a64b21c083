using Bridge.Forwarding;

namespace Bridge.UnitTests.Infrastructure;

/// <summary>Records what the forwarder hands to delivery.</summary>
internal sealed class RecordingScheduler : IDeliveryScheduler
{
    public List<(Forward Forward, IReadOnlyList<DeliveryJob> Jobs)> Calls { get; } = [];

    public void Scheduled(Forward forward, IReadOnlyList<DeliveryJob> jobs) => Calls.Add((forward, jobs));

    public void Noticed(string groupKey, long jobId)
    {
    }

    public void Woken()
    {
    }
}
