namespace Bridge.Forwarding;

/// <summary>
/// The store cannot record anything right now (a full or read-only disk, a failed engine). Nothing of the call that
/// threw was recorded. The store recovers by itself once the cause is gone; <see cref="Reason"/> is the cause in
/// words a person can act on, e.g. "its disk is full".
/// </summary>
internal sealed class StoreUnavailableException(string reason, Exception? innerException = null)
    : Exception($"The store cannot record right now: {reason}.", innerException)
{
    public string Reason { get; } = reason;
}
