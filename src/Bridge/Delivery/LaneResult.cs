namespace Bridge.Delivery;

/// <summary>How a group's lane ended: the job it ran, and the unexpected error that stopped it, if any.</summary>
internal sealed record LaneResult(long JobId, Exception? Error);
