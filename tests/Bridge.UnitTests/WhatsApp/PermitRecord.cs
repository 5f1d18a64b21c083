using Bridge.Fakes;
using Bridge.WhatsApp;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.UnitTests.WhatsApp;

/// <summary>
/// What every <see cref="RecordingPermitLog"/> of a test saw, in one place, and the limiters' clock, which counts the
/// timers they set. A test may move the clock only once every refused ask sleeps on a timer (<see cref="Asleep"/>):
/// a timer set after a move would be due a move late, and never fire.
/// </summary>
internal sealed class PermitRecord(FakeTimeProvider clock)
{
    private readonly Lock _lock = new();
    private readonly List<Ask> _asks = [];
    private readonly ConditionWaiters _waiters = new();
    private int _timers;

    public TimeProvider Clock => new CountingClock(clock, this);

    public IReadOnlyList<DateTimeOffset> Grants
    {
        get
        {
            lock (_lock)
            {
                return [.. _asks.Where(a => a.Granted).Select(a => a.At)];
            }
        }
    }

    /// <summary>
    /// Every replica whose <paramref name="asked"/> permits of a kind are not all granted yet was refused one when
    /// asking at the clock's time, and every refused ask has set its timer: the limiters wait on the clock alone.
    /// </summary>
    public bool Waiting(bool lookup, params int[] asked)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            return _timers == _asks.Count(a => !a.Granted)
                && asked.Index().All(replica => _asks.Count(a => a.Replica == replica.Index && a.Lookup == lookup && a.Granted) == replica.Item
                    || _asks.Any(a => a.Replica == replica.Index && a.Lookup == lookup && !a.Granted && a.At == now));
        }
    }

    /// <summary>A log that records, as <paramref name="replica"/>'s, what <paramref name="log"/> grants and refuses.</summary>
    public IPermitLog Over(int replica, IPermitLog log) =>
        new RecordingPermitLog(log, (at, lookup, granted) => Change(() => _asks.Add(new Ask(replica, lookup, at, granted))));

    public Task WaitAsync(Func<PermitRecord, bool> condition) => _waiters.WaitAsync(() => condition(this));

    /// <summary>The most permits granted within any span of <paramref name="hold"/>.</summary>
    public int MostWithin(TimeSpan hold)
    {
        var grants = Grants.Order().ToList();
        return grants.Count == 0 ? 0 : grants.Max(at => grants.Count(other => other > at - hold && other <= at));
    }

    private void Change(Action change)
    {
        lock (_lock)
        {
            change();
        }

        _waiters.Changed();
    }

    private sealed class CountingClock(FakeTimeProvider clock, PermitRecord record) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = clock.CreateTimer(callback, state, dueTime, period);
            record.Change(() => record._timers++);
            return timer;
        }
    }

    private sealed record Ask(int Replica, bool Lookup, DateTimeOffset At, bool Granted);
}
