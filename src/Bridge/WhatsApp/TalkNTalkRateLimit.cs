using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bridge.WhatsApp;

/// <summary>
/// Bridge's own limit on requests to TalkNTalk, on the app's <see cref="TimeProvider"/>, kept in an
/// <see cref="IPermitLog"/>: this process's, or with PostgreSQL the one all replicas share, so their sum stays under
/// <see cref="WhatsAppOptions.RateLimitPermits"/>. The provider counts requests in an exact sliding window; a permit
/// here comes back <see cref="Margin"/> (5 %) later than the window, for requests that reach the provider later than
/// they left Bridge.
/// <para>
/// Look-ups (groups, phones, ping: people browsing) may take at most their share of the permits
/// (<see cref="WhatsAppOptions.RateLimitLookupShare"/>), so browsing never starves sends; sends may use every permit
/// look-ups leave, so the limit is not wasted when nobody browses. A send waits for its permit before the HTTP pipeline (so that
/// its job is marked Sending only once the permit is granted) and hands it to the pipeline with the request; a
/// look-up takes its permit in the pipeline.
/// </para>
/// <para>
/// A waiting request sleeps until the log says the next permit frees, on the app's clock, and asks again then (another
/// replica may have taken it first): the database is asked once per freed permit, not polled. Only when the log cannot
/// be read is it asked again after <see cref="Recheck"/>. Each kind's waiters queue in order behind one another, so a
/// process has at most one asker of each kind at a time.
/// </para>
/// </summary>
internal sealed partial class TalkNTalkRateLimit(IOptions<WhatsAppOptions> options, IPermitLog log, TimeProvider time, ILogger<TalkNTalkRateLimit> logger)
{
    public const double Margin = 0.05;

    /// <summary>How soon a log that failed to answer is asked again.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);

    private readonly Waiters _sends = new(IsSends: true);
    private readonly Waiters _lookups = new(IsSends: false);
    private readonly ConcurrentDictionary<string, Phone> _phones = new();

    /// <summary>The request option that carries a permit its caller already waited for.</summary>
    public static readonly HttpRequestOptionsKey<RateLimitLease> GrantedPermit = new("Bridge.TalkNTalkPermit");

    /// <summary>How long a permit counts against the limit after it is granted: the window and the margin.</summary>
    public TimeSpan Hold => options.Value.RateLimitWindow * (1 + Margin);

    /// <summary>The most permits look-ups may hold at once: their share, at least one.</summary>
    public int LookupPermits => Math.Max(1, (int)(options.Value.RateLimitPermits * options.Value.RateLimitLookupShare));

    /// <summary>The permits held now (sends and look-ups, on every replica sharing the log) and the limit: the admin page's gauge.</summary>
    public async Task<(int Used, int Limit)> UseAsync(CancellationToken cancellationToken) =>
        (await log.CountHeldAsync(Hold, time.GetUtcNow(), cancellationToken), options.Value.RateLimitPermits);

    /// <summary>
    /// Waits for a send's permit, and no sooner than <see cref="WhatsAppOptions.PhoneSendInterval"/> after this replica's
    /// last send from the same phone; <paramref name="stopWaiting"/> ends the wait with an <see cref="OperationCanceledException"/>.
    /// A phone's sends take their turns one at a time through both waits, so another phone's sends never queue behind its pace.
    /// </summary>
    public async Task<RateLimitLease> SendPermitAsync(string sessionId, CancellationToken stopWaiting)
    {
        var interval = options.Value.PhoneSendInterval;
        if (interval <= TimeSpan.Zero)
        {
            return await TakeAsync(_sends, null, stopWaiting);
        }

        var phone = _phones.GetOrAdd(sessionId, _ => new Phone());
        await phone.Turn.WaitAsync(stopWaiting);
        try
        {
            // Measured on the monotonic timestamp: a wall clock stepped back by NTP must not hold the phone.
            if (phone.LastSend is { } last && interval - time.GetElapsedTime(last) is var wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stopWaiting);
            }

            var permit = await TakeAsync(_sends, null, stopWaiting);
            phone.LastSend = time.GetTimestamp();
            return permit;
        }
        finally
        {
            phone.Turn.Release();
        }
    }

    /// <summary>For the HTTP pipeline: the permit the request already holds (a send's), or a look-up's.</summary>
    public ValueTask<RateLimitLease> PermitForAsync(HttpRequestMessage? request, CancellationToken cancellationToken) =>
        request is not null && request.Options.TryGetValue(GrantedPermit, out var permit)
            ? ValueTask.FromResult(permit)
            : new ValueTask<RateLimitLease>(TakeAsync(_lookups, LookupPermits, cancellationToken));

    private async Task<RateLimitLease> TakeAsync(Waiters waiters, int? lookupLimit, CancellationToken cancellationToken)
    {
        var queued = Interlocked.Increment(ref waiters.Count) - 1;
        try
        {
            await waiters.Turn.WaitAsync(cancellationToken);
            try
            {
                var waiting = false;
                while (true)
                {
                    var now = time.GetUtcNow();
                    DateTimeOffset freeAt;
                    try
                    {
                        if (await log.TryTakeAsync(options.Value.RateLimitPermits, lookupLimit, Hold, now, cancellationToken) is not { } next)
                        {
                            return Permit.Granted;
                        }

                        freeAt = next;
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        Log.LogFailed(logger, exception.GetType().Name);
                        freeAt = now + Recheck;
                    }

                    if (!waiting && waiters.IsSends)
                    {
                        Log.WaitingForPermit(logger, queued);
                    }

                    waiting = true;
                    // Measured again: the clock moved while the log was asked.
                    if (freeAt - time.GetUtcNow() is var wait && wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, time, cancellationToken);
                    }
                }
            }
            finally
            {
                waiters.Turn.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref waiters.Count);
        }
    }

    private sealed class Phone
    {
        public readonly SemaphoreSlim Turn = new(1, 1);
        public long? LastSend;
    }

    private sealed class Waiters(bool IsSends)
    {
        public bool IsSends { get; } = IsSends;
        public readonly SemaphoreSlim Turn = new(1, 1);
        public int Count;
    }

    /// <summary>A granted permit. It is returned by time, when it leaves the log, not by disposing it.</summary>
    private sealed class Permit : RateLimitLease
    {
        public static readonly Permit Granted = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "A send waits for a permit of Bridge's rate limit ({Queued} already waiting)")]
        public static partial void WaitingForPermit(ILogger logger, long queued);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "The rate limit's permit log could not be read ({Error}); asking again shortly")]
        public static partial void LogFailed(ILogger logger, string error);
    }
}
