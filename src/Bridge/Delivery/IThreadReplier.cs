using Bridge.Forwarding;
using Bridge.Storage;

namespace Bridge.Delivery;

/// <summary>Posts a forward's visible record and its outcome on the platform it came from.</summary>
public interface IThreadReplier
{
    Platform Platform { get; }

    /// <summary>Posts the visible record of what is being sent; returns the thread id that replies go to.</summary>
    Task<string> AnnounceAsync(Forward forward, IReadOnlyList<DeliveryJob> jobs, CancellationToken cancellationToken);

    /// <summary>Posts the outcome; returns how it reached the person who asked.</summary>
    Task<ReplyRoute> ReplyAsync(Forward forward, string text, CancellationToken cancellationToken);
}
