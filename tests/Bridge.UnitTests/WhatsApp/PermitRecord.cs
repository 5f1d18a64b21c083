using Bridge.Fakes;
using Bridge.WhatsApp;

namespace Bridge.UnitTests.WhatsApp;

/// <summary>What every <see cref="RecordingPermitLog"/> of a test saw, in one place.</summary>
internal sealed class PermitRecord
{
    private readonly Lock _lock = new();
    private readonly List<DateTimeOffset> _grants = [];
    private readonly ConditionWaiters _waiters = new();
    private readonly List<int> _refusals = [];

    public IReadOnlyList<DateTimeOffset> Grants
    {
        get
        {
            lock (_lock)
            {
                return [.. _grants];
            }
        }
    }

    /// <summary>How many refusals came once at least <paramref name="grants"/> permits were granted.</summary>
    public int RefusalsAfter(int grants)
    {
        lock (_lock)
        {
            return _refusals.Count(granted => granted >= grants);
        }
    }

    public IPermitLog Over(IPermitLog log) => new RecordingPermitLog(log, Granted, Refused);

    public Task WaitAsync(Func<PermitRecord, bool> condition) => _waiters.WaitAsync(() => condition(this));

    /// <summary>The most permits granted within any span of <paramref name="hold"/>.</summary>
    public int MostWithin(TimeSpan hold)
    {
        var grants = Grants.Order().ToList();
        return grants.Count == 0 ? 0 : grants.Max(at => grants.Count(other => other > at - hold && other <= at));
    }

    private void Granted(DateTimeOffset at)
    {
        lock (_lock)
        {
            _grants.Add(at);
        }

        _waiters.Changed();
    }

    private void Refused()
    {
        lock (_lock)
        {
            _refusals.Add(_grants.Count);
        }

        _waiters.Changed();
    }
}
