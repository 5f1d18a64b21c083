namespace Bridge.Forwarding;

/// <summary>Hands newly accepted jobs to delivery, which sends them in the background.</summary>
internal interface IDeliveryScheduler
{
    /// <summary>Called once the forward and its jobs are stored; the jobs are sent in their groups' order.</summary>
    void Scheduled(Forward forward, IReadOnlyList<DeliveryJob> jobs);
}
