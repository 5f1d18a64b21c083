namespace Bridge.Delivery;

/// <summary>
/// Who this process is among the replicas sharing a store: the name its claims are recorded under. Host name and
/// process id say where it ran; the random part keeps a restarted process (same pod, same pid 1) from being taken
/// for the one before it, whose claims must run out rather than be inherited.
/// </summary>
internal sealed record ReplicaId(string Value)
{
    public static ReplicaId Create() => new($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}");

    public override string ToString() => Value;
}
