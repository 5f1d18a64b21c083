namespace Bridge.Forwarding;

/// <summary>What <see cref="IScheduleStore.AddScheduleAsync"/> did.</summary>
internal enum ScheduleAdded
{
    /// <summary>The schedule is stored, and its dedupe key claimed.</summary>
    Added,

    /// <summary>Nothing was stored: another schedule has this id.</summary>
    IdTaken,

    /// <summary>Nothing was stored: the dedupe key was claimed before (the same request retried, or finished again).</summary>
    Duplicate,
}
