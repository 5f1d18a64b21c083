using System.Net;
using System.Threading.RateLimiting;

namespace Bridge.Admin;

/// <summary>
/// Throttles admin-key guessing: a client address may present <see cref="Limit"/> wrong keys per <see cref="Window"/>
/// (sign-ins on the page and <c>/admin/api</c> calls together). Past that, every attempt from it is refused, right key
/// or not, until the window ends, so that the answers tell a guesser nothing. Right keys are not counted.
/// </summary>
internal sealed partial class AdminKeyGuesses(TimeProvider time, ILogger<AdminKeyGuesses> logger) : IDisposable
{
    public const int Limit = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // System.Threading.RateLimiting's windows run on Stopwatch and its own timers, not on a TimeProvider
    // (https://learn.microsoft.com/dotnet/api/system.threading.ratelimiting.fixedwindowratelimiter), so the window is
    // counted on Bridge's clock instead: each address gets a fresh partition in each window of that clock.
    private readonly PartitionedRateLimiter<(string Address, long Window)> _wrongKeys = PerWindow(Limit);

    // One permit per address and window: the refusal is logged once, not once per request.
    private readonly PartitionedRateLimiter<(string Address, long Window)> _refusalsLogged = PerWindow(1);

    /// <summary>How long the request's address must wait before presenting a key again, or null when it may now.</summary>
    public TimeSpan? RefusedFor(HttpContext context)
    {
        var (partition, remaining) = Partition(context);
        using var lease = _wrongKeys.AttemptAcquire(partition, 0);
        if (lease.IsAcquired)
        {
            return null;
        }

        using var logged = _refusalsLogged.AttemptAcquire(partition);
        if (logged.IsAcquired)
        {
            Log.Throttled(logger, partition.Address, Limit, (int)Math.Ceiling(remaining.TotalSeconds));
        }

        return remaining;
    }

    /// <summary>Counts a wrong key against the request's address.</summary>
    public void CountWrongKey(HttpContext context)
    {
        using var _ = _wrongKeys.AttemptAcquire(Partition(context).Key);
    }

    /// <summary>The seconds a refused client is told to wait (<c>Retry-After</c>), at least one.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private ((string Address, long Window) Key, TimeSpan Remaining) Partition(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        var now = time.GetUtcNow().UtcTicks;
        var window = now / Window.Ticks;
        var text = address is null ? "unknown" : ClientOf(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
        return ((text, window), TimeSpan.FromTicks((window + 1) * Window.Ticks - now));
    }

    /// <summary>
    /// An IPv4 address, or an IPv6 address's /64: one subscriber is usually given a whole /64
    /// (https://www.rfc-editor.org/rfc/rfc6177), so counting each address alone would not slow a guesser down.
    /// </summary>
    private static string ClientOf(IPAddress address)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static PartitionedRateLimiter<(string Address, long Window)> PerWindow(int permits) =>
        PartitionedRateLimiter.Create<(string Address, long Window), (string Address, long Window)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                // Longer than Bridge's window: a partition serves one window of Bridge's clock and is then left idle
                // (and dropped by the partitioned limiter); it never replenishes within its window.
                Window = Window * 2,
                QueueLimit = 0,
            }));

    public void Dispose()
    {
        _wrongKeys.Dispose();
        _refusalsLogged.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5010, Level = LogLevel.Warning,
            Message = "Admin: {Address} presented {Limit} wrong admin keys within a minute; its attempts are refused (429) for the next {Seconds} s")]
        public static partial void Throttled(ILogger logger, string address, int limit, int seconds);
    }
}
