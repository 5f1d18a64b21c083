using Bridge.UnitTests.Storage;
using Bridge.WhatsApp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.UnitTests.WhatsApp;

/// <summary>
/// The rate limit on each permit log, as replicas use it: two limiters (two replicas) on one log, on one fake clock.
/// 10 permits a minute, of which look-ups may hold at most 2 (20 %).
/// </summary>
public abstract class RateLimitContract
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly PermitRecord _record;

    protected RateLimitContract() => _record = new PermitRecord(_clock);

    /// <summary>A log on the shared state: each call is another replica's view of the same permits.</summary>
    private protected abstract IPermitLog NewLog();

    private TalkNTalkRateLimit NewLimiter(int replica = 0) => new(
        Options.Create(new WhatsAppOptions { RateLimitPermits = 10, RateLimitWindow = Window, RateLimitLookupShare = 0.2, PhoneSendInterval = TimeSpan.Zero }),
        _record.Over(replica, NewLog()),
        _record.Clock,
        NullLogger<TalkNTalkRateLimit>.Instance);

    [StoreFact]
    public async Task Two_replicas_never_grant_more_sends_than_the_limit_per_window_and_waiting_sends_go_when_it_moves()
    {
        var replicas = new[] { NewLimiter(0), NewLimiter(1) };
        var start = _clock.GetUtcNow();
        var sends = Enumerable.Range(0, 30).Select(i => replicas[i % 2].SendPermitAsync("phone", default)).ToList();

        for (var window = 1; window <= 3; window++)
        {
            // Each window's 10 permits go, and then each replica's next send is refused and sleeps: no eleventh.
            var granted = 10 * window;
            await _record.WaitAsync(r => r.Grants.Count == granted && r.Waiting(lookup: false, 15, 15));
            Assert.Equal(10 * window, _record.Grants.Count);

            // A tick before the permits come back nothing more goes; at the window and its 5 % margin, the next 10 do.
            _clock.Advance(Window * 1.05 - TimeSpan.FromTicks(1));
            Assert.Equal(10 * window, _record.Grants.Count);
            _clock.Advance(TimeSpan.FromTicks(1));
        }

        await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(10, _record.MostWithin(Window * 1.05));
        Assert.Equal(
            [start, start + Window * 1.05, start + Window * 2.1],
            _record.Grants.Distinct().Order());
    }

    [StoreFact]
    public async Task Look_ups_take_at_most_their_share_and_sends_the_rest()
    {
        var replicas = new[] { NewLimiter(0), NewLimiter(1) };

        // Browsing first: two look-ups go, the third waits for the window although eight permits are free.
        var lookups = Enumerable.Range(0, 3).Select(i => replicas[i % 2].PermitForAsync(null, default).AsTask()).ToList();
        await _record.WaitAsync(r => r.Grants.Count == 2 && r.Waiting(lookup: true, 2, 1));
        Assert.False(Task.WhenAll(lookups).IsCompleted);

        // Sends take the eight permits left, and no more.
        var sends = Enumerable.Range(0, 9).Select(i => replicas[i % 2].SendPermitAsync("phone", default)).ToList();
        await _record.WaitAsync(r => r.Grants.Count == 10 && r.Waiting(lookup: false, 5, 4));
        Assert.False(Task.WhenAll(sends).IsCompleted);
        Assert.Equal(10, _record.MostWithin(Window * 1.05));

        // Once the window moves, the waiting send and look-up go too.
        _clock.Advance(Window * 1.05);
        await Task.WhenAll(sends.Concat(lookups)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(12, _record.Grants.Count);
    }

    [StoreFact]
    public async Task Sends_may_use_every_permit_when_nobody_browses()
    {
        var limiter = NewLimiter();

        for (var i = 0; i < 10; i++)
        {
            Assert.True((await limiter.SendPermitAsync("phone", default)).IsAcquired);
        }

        var lookup = limiter.PermitForAsync(null, default).AsTask();
        await _record.WaitAsync(r => r.Waiting(lookup: true, 1));
        Assert.False(lookup.IsCompleted);
        _clock.Advance(Window * 1.05);
        await lookup.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
