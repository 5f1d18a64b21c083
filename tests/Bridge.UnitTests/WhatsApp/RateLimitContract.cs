using Bridge.UnitTests.Storage;
using Bridge.WhatsApp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.UnitTests.WhatsApp;

/// <summary>
/// The rate limit on each permit log, as replicas use it: two limiters (two replicas) on one log, on one fake clock.
/// 10 permits a minute, 2 of them (20 %) kept for look-ups, so sends get 8.
/// </summary>
public abstract class RateLimitContract
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly PermitRecord _record = new();

    /// <summary>A log on the shared state: each call is another replica's view of the same permits.</summary>
    private protected abstract IPermitLog NewLog();

    private TalkNTalkRateLimit NewLimiter() => new(
        Options.Create(new WhatsAppOptions { RateLimitPermits = 10, RateLimitWindow = Window, RateLimitLookupShare = 0.2 }),
        _record.Over(NewLog()),
        _clock,
        NullLogger<TalkNTalkRateLimit>.Instance);

    [StoreFact]
    public async Task Two_replicas_never_grant_more_sends_than_the_limit_per_window_and_waiting_sends_go_when_it_moves()
    {
        var replicas = new[] { NewLimiter(), NewLimiter() };
        var start = _clock.GetUtcNow();
        var sends = Enumerable.Range(0, 24).Select(i => replicas[i % 2].SendPermitAsync(default)).ToList();

        for (var window = 1; window <= 3; window++)
        {
            // Each window's 8 permits go, and then each replica's next send is refused: no ninth.
            var granted = 8 * window;
            await _record.WaitAsync(r => r.Grants.Count == granted && (granted == 24 || r.RefusalsAfter(granted) >= 1));
            Assert.Equal(8 * window, _record.Grants.Count);

            // A tick before the permits come back nothing more goes; at the window and its 5 % margin, the next 8 do.
            _clock.Advance(Window * 1.05 - TimeSpan.FromTicks(1));
            Assert.Equal(8 * window, _record.Grants.Count);
            _clock.Advance(TimeSpan.FromTicks(1));
        }

        await Task.WhenAll(sends);
        Assert.Equal(8, _record.MostWithin(Window * 1.05));
        Assert.Equal(
            [start, start + Window * 1.05, start + Window * 2.1],
            _record.Grants.Distinct().Order());
    }

    [StoreFact]
    public async Task Look_ups_are_served_from_their_share_while_sends_saturate_the_limit()
    {
        var replicas = new[] { NewLimiter(), NewLimiter() };
        var sends = Enumerable.Range(0, 10).Select(i => replicas[i % 2].SendPermitAsync(default)).ToList();
        await _record.WaitAsync(r => r.Grants.Count == 8 && r.RefusalsAfter(8) >= 1);

        // The clock has not moved: the two look-ups get the share sends may not use, and the third look-up waits.
        var lookups = Enumerable.Range(0, 3).Select(i => replicas[i % 2].PermitForAsync(null, default).AsTask()).ToList();
        await _record.WaitAsync(r => r.Grants.Count == 10 && r.RefusalsAfter(10) >= 1);
        await Task.WhenAny(lookups);
        Assert.False(Task.WhenAll(lookups).IsCompleted);
        Assert.False(Task.WhenAll(sends).IsCompleted);
        Assert.Equal(10, _record.MostWithin(Window * 1.05));

        // Once the window moves, the waiting sends and look-up go too.
        _clock.Advance(Window * 1.05);
        await Task.WhenAll(sends);
        await Task.WhenAll(lookups);
        Assert.Equal(13, _record.Grants.Count);
    }

    [StoreFact]
    public async Task A_look_up_may_use_the_permits_sends_leave_unused()
    {
        var limiter = NewLimiter();

        for (var i = 0; i < 10; i++)
        {
            Assert.True((await limiter.PermitForAsync(null, default)).IsAcquired);
        }

        var send = limiter.SendPermitAsync(default);
        await _record.WaitAsync(r => r.RefusalsAfter(10) >= 1);
        Assert.False(send.IsCompleted);
        _clock.Advance(Window * 1.05);
        await send;
    }
}
