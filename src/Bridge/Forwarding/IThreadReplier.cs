
namespace Bridge.Forwarding;

/// <summary>Posts a forward's outcome on the platform it came from.</summary>
internal interface IThreadReplier
{
    Platform Platform { get; }

    /// <summary>
    /// Posts the outcome; returns how it reached the person who asked. On the <paramref name="lastAttempt"/> a replier
    /// that has another way to reach the person uses it rather than fail.
    /// </summary>
    Task<ReplyRoute> ReplyAsync(Forward forward, string text, bool lastAttempt, CancellationToken cancellationToken);
}
