namespace Bridge.Delivery;

/// <summary>A platform refused a reply; <see cref="RetryAfter"/> is set when it asked to wait.</summary>
public sealed class ReplyException(string message, TimeSpan? retryAfter = null) : Exception(message)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
