namespace Bridge.Tests.Infrastructure;

/// <summary>A clock that starts at a chosen instant and then runs at real speed, so timers still fire.</summary>
public sealed class PinnedTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly DateTimeOffset _realStart = System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => start + (System.GetUtcNow() - _realStart);
}
