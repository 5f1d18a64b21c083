using Bridge.Delivery;

namespace Bridge.UnitTests.Delivery;

public sealed class BackoffTests
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(5, 32)]
    public void Next_GrowsExponentiallyWithJitterBetweenHalfAndFull(int attempt, int fullSeconds)
    {
        var full = TimeSpan.FromSeconds(fullSeconds);
        // Many draws: each one in [half, full], and the jitter really varies.
        var delays = Enumerable.Range(0, 200).Select(_ => Backoff.Next(attempt, BaseDelay, MaxDelay, null)).ToList();

        Assert.All(delays, d => Assert.InRange(d, full / 2, full));
        Assert.True(delays.Distinct().Count() > 1);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(30)]
    [InlineData(1000)]
    public void Next_IsCappedAtTheMaximum(int attempt)
    {
        var delays = Enumerable.Range(0, 200).Select(_ => Backoff.Next(attempt, BaseDelay, MaxDelay, null)).ToList();

        Assert.All(delays, d => Assert.InRange(d, MaxDelay / 2, MaxDelay));
    }

    [Fact]
    public void Next_RetryAfter_WinsOverTheExponentialDelay() =>
        Assert.Equal(TimeSpan.FromSeconds(45), Backoff.Next(1, BaseDelay, MaxDelay, TimeSpan.FromSeconds(45)));

    [Fact]
    public void Next_RetryAfterLongerThanTheMaximum_IsCapped() =>
        Assert.Equal(MaxDelay, Backoff.Next(1, BaseDelay, MaxDelay, TimeSpan.FromHours(2)));

    [Fact]
    public void Next_RetryAfterZero_FallsBackToTheExponentialDelay() =>
        Assert.InRange(Backoff.Next(1, BaseDelay, MaxDelay, TimeSpan.Zero), BaseDelay / 2, BaseDelay);
}
