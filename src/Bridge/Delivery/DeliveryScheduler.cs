using Bridge.Forwarding;

namespace Bridge.Delivery;

/// <summary>Puts jobs in the pending index and wakes the worker, so they go without waiting for its next poll.</summary>
internal sealed class DeliveryScheduler(PendingJobIndex pendingJobs, DeliverySignal signal, DeliveryMetrics metrics) : IDeliveryScheduler
{
    public void Scheduled(Forward forward, IReadOnlyList<DeliveryJob> jobs)
    {
        foreach (var job in jobs)
        {
            pendingJobs.Add(job.GroupKey, job.Id);
        }

        metrics.Accepted(forward.Platform);
        signal.Notify();
    }

    public void Noticed(string groupKey, long jobId)
    {
        pendingJobs.Add(groupKey, jobId);
        signal.Notify();
    }

    public void Woken() => signal.Notify();
}
