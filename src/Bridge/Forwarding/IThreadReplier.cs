
namespace Bridge.Forwarding;

/// <summary>Posts a forward's outcome on the platform it came from.</summary>
internal interface IThreadReplier
{
    Platform Platform { get; }

    /// <summary>
    /// Posts the outcome; returns how it reached the person who asked. On the <paramref name="lastAttempt"/> a replier
    /// that has another way to reach the person uses it rather than fail. <paramref name="jobs"/> are the forward's jobs
    /// the <paramref name="text"/> tells, for the "Send again" button (<see cref="SendAgain.Offered"/>).
    /// </summary>
    Task<ReplyRoute> ReplyAsync(Forward forward, string text, IReadOnlyList<DeliveryJob> jobs, bool lastAttempt, CancellationToken cancellationToken);
}
