namespace Bridge.Forwarding;

/// <summary>Hands jobs to delivery, which sends them in the background: those accepted here, and those a store tells of.</summary>
internal interface IDeliveryScheduler
{
    /// <summary>Called once the forward and its jobs are stored; the jobs are sent in their groups' order.</summary>
    void Scheduled(Forward forward, IReadOnlyList<DeliveryJob> jobs);

    /// <summary>A store tells of an unfinished job it holds (one another replica accepted), to be sent in its group's order.</summary>
    void Noticed(string groupKey, long jobId);

    /// <summary>Work may be waiting: a store tells that another replica finished a job, so its group's next is free.</summary>
    void Woken();
}
