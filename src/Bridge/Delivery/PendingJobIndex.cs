namespace Bridge.Delivery;

/// <summary>
/// The unfinished jobs of each group, by id (acceptance order): an in-memory index over the store, loaded from it
/// at start and kept up to date as jobs are accepted and finish. It lets each worker round cost one store read per
/// group instead of a scan of the whole backlog. The store stays the only truth: a restart rebuilds this from it.
/// </summary>
internal sealed class PendingJobIndex
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedSet<long>> _groups = [];

    public void Add(string groupKey, long jobId)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupKey, out var jobs))
            {
                _groups[groupKey] = jobs = [];
            }

            jobs.Add(jobId);
        }
    }

    public void Remove(string groupKey, long jobId)
    {
        lock (_lock)
        {
            if (_groups.TryGetValue(groupKey, out var jobs) && jobs.Remove(jobId) && jobs.Count == 0)
            {
                _groups.Remove(groupKey);
            }
        }
    }

    /// <summary>Each group's oldest unfinished job, oldest groups first.</summary>
    public IReadOnlyList<(string GroupKey, long JobId)> Heads()
    {
        lock (_lock)
        {
            return _groups.Select(g => (g.Key, g.Value.Min)).OrderBy(h => h.Min).ToList();
        }
    }
}
