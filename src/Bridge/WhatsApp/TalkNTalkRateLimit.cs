using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bridge.WhatsApp;

/// <summary>
/// Bridge's own limit on requests to TalkNTalk, moved on by the app's <see cref="TimeProvider"/> rather than by the
/// limiter's own real-time timer, so that it follows the same clock as everything else (and a test's fake clock).
/// The provider counts requests in an exact sliding window. Ours moves in segments of a twentieth of the window and is
/// two segments longer than the provider's, so a permit comes back at least a window and one segment (5 %) after its
/// request: a margin for requests that reach the provider later than they left Bridge.
/// A send waits for its permit before the HTTP pipeline (so that its job is marked Sending only once the permit is
/// granted) and hands it to the pipeline with the request; a look-up takes its permit in the pipeline.
/// </summary>
internal sealed class TalkNTalkRateLimit : IDisposable
{
    private const int Segments = 20;
    private readonly ITimer _replenishing;

    public TalkNTalkRateLimit(IOptions<WhatsAppOptions> options, TimeProvider time)
    {
        var segment = options.Value.RateLimitWindow / Segments;
        Limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.Value.RateLimitPermits,
            // The segments are timed by the app's clock below. The limiter also checks its own real-time clock and ignores
            // a manual TryReplenish that comes sooner than a segment of its window
            // (https://github.com/dotnet/runtime/blob/main/src/libraries/System.Threading.RateLimiting/src/System/Threading/RateLimiting/SlidingWindowRateLimiter.cs):
            // the shortest window it accepts makes that segment zero, so only the app's clock counts.
            Window = TimeSpan.FromTicks(1),
            SegmentsPerWindow = Segments + 2,
            QueueLimit = 100_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = false,
        });
        // Each TryReplenish moves the window on by one segment.
        _replenishing = time.CreateTimer(_ => Limiter.TryReplenish(), null, segment, segment);
    }

    /// <summary>The request option that carries a permit its caller already waited for.</summary>
    public static readonly HttpRequestOptionsKey<RateLimitLease> GrantedPermit = new("Bridge.TalkNTalkPermit");

    public SlidingWindowRateLimiter Limiter { get; }

    /// <summary>For the HTTP pipeline: the permit the request already holds, or a new one.</summary>
    public ValueTask<RateLimitLease> PermitForAsync(HttpRequestMessage? request, CancellationToken cancellationToken) =>
        request is not null && request.Options.TryGetValue(GrantedPermit, out var permit)
            ? ValueTask.FromResult(permit)
            : Limiter.AcquireAsync(1, cancellationToken);

    public void Dispose()
    {
        _replenishing.Dispose();
        Limiter.Dispose();
    }
}
