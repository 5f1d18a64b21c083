namespace Bridge.Forwarding;

internal enum ScheduleState
{
    /// <summary>Waiting for its time; it can still be cancelled.</summary>
    Pending,
    /// <summary>Its time came and a replica is accepting it: no longer cancellable, accepted exactly once (dedupe key).</summary>
    Sending,
    /// <summary>Accepted as the forward <see cref="ScheduledSend.Forward"/>; its delivery and reply go as any send's.</summary>
    Sent,
    Cancelled,
}
