namespace Bridge.WhatsApp;

/// <summary>The permit log of a single replica (the LiteDB store): the grant times of the last hold, oldest first.</summary>
internal sealed class InMemoryPermitLog : IPermitLog
{
    private readonly Lock _lock = new();
    private readonly List<DateTimeOffset> _grants = [];

    public Task<DateTimeOffset?> TryTakeAsync(int limit, TimeSpan hold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _grants.RemoveAll(at => at <= now - hold);
            if (_grants.Count >= limit)
            {
                // The limit-th newest grant is the one whose leaving brings the count under the limit.
                return Task.FromResult<DateTimeOffset?>(_grants[^limit] + hold);
            }

            var index = _grants.BinarySearch(now);
            _grants.Insert(index < 0 ? ~index : index, now);
            return Task.FromResult<DateTimeOffset?>(null);
        }
    }
}
