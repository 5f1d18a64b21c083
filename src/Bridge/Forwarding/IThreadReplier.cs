
namespace Bridge.Forwarding;

/// <summary>Posts a forward's outcome on the platform it came from.</summary>
public interface IThreadReplier
{
    Platform Platform { get; }

    /// <summary>Posts the outcome; returns how it reached the person who asked.</summary>
    Task<ReplyRoute> ReplyAsync(Forward forward, string text, CancellationToken cancellationToken);
}
