using Bridge.Fakes;
using Bridge.Forwarding;

namespace Bridge.UnitTests.Infrastructure;

/// <summary>Records what the forwarder, or a store's notices, hand to delivery.</summary>
internal sealed class RecordingScheduler : IDeliveryScheduler
{
    private readonly Lock _lock = new();
    private readonly List<(string GroupKey, long JobId)> _noticed = [];
    private readonly ConditionWaiters _waiters = new();
    private int _wakes;

    public List<(Forward Forward, IReadOnlyList<DeliveryJob> Jobs)> Calls { get; } = [];

    public IReadOnlyList<(string GroupKey, long JobId)> NoticedJobs
    {
        get
        {
            lock (_lock)
            {
                return [.. _noticed];
            }
        }
    }

    public int Wakes => Volatile.Read(ref _wakes);

    public Task WaitAsync(Func<RecordingScheduler, bool> condition) => _waiters.WaitAsync(() => condition(this));

    public void Scheduled(Forward forward, IReadOnlyList<DeliveryJob> jobs) => Calls.Add((forward, jobs));

    public void Noticed(string groupKey, long jobId)
    {
        lock (_lock)
        {
            _noticed.Add((groupKey, jobId));
        }

        _waiters.Changed();
    }

    public void Woken()
    {
        Interlocked.Increment(ref _wakes);
        _waiters.Changed();
    }
}
