namespace Bridge.Forwarding;

/// <summary>
/// A job's update was refused: another replica claimed the job after this one's lease ran out, so this one's view of it
/// is stale and must not overwrite what the other records.
/// </summary>
internal sealed class JobClaimLostException(long jobId, string? claimedBy)
    : Exception($"Job {jobId} is no longer claimed by {claimedBy ?? "no replica"}; the update was refused.");
