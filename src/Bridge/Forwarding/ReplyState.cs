namespace Bridge.Forwarding;

internal enum ReplyState
{
    Pending,
    Replied,
    /// <summary>The reply could not be posted after every attempt; the outcome stays in the delivery history.</summary>
    Failed,
}
