using Bridge.WhatsApp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.UnitTests.WhatsApp;

/// <summary>Sends from one phone are spaced by WhatsApp:PhoneSendInterval; another phone's are not held by them.</summary>
public sealed class PhonePacingTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private TalkNTalkRateLimit NewLimiter(TimeSpan interval) => new(
        Options.Create(new WhatsAppOptions { PhoneSendInterval = interval }), new InMemoryPermitLog(), _clock, NullLogger<TalkNTalkRateLimit>.Instance);

    [Fact]
    public async Task A_phone_sends_again_only_after_its_interval_while_another_phone_sends_at_once()
    {
        var limiter = NewLimiter(TimeSpan.FromSeconds(2));

        await limiter.SendPermitAsync("ops-phone", default);
        var again = limiter.SendPermitAsync("ops-phone", default);
        using var stop = new CancellationTokenSource();
        var third = limiter.SendPermitAsync("ops-phone", stop.Token);
        await limiter.SendPermitAsync("sales-phone", default);

        Assert.False(again.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(again.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        await again;
        // Its turn comes after the second's, and its own two seconds have not passed.
        Assert.False(third.IsCompleted);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third);
    }

    [Fact]
    public async Task Zero_turns_the_pacing_off()
    {
        var limiter = NewLimiter(TimeSpan.Zero);

        for (var i = 0; i < 5; i++)
        {
            Assert.True((await limiter.SendPermitAsync("ops-phone", default)).IsAcquired);
        }
    }
}
