namespace Bridge.Forwarding;

/// <summary>
/// A platform refused a reply; <see cref="RetryAfter"/> is set when it asked to wait, <see cref="Final"/> when no way to
/// reply is left and retrying cannot help.
/// </summary>
internal sealed class ReplyException(string message, TimeSpan? retryAfter = null, bool final = false) : Exception(message)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
    public bool Final { get; } = final;
}
