namespace Bridge.WhatsApp;

/// <summary>The permit log of a single replica (the LiteDB store): the grants of the last hold, oldest first.</summary>
internal sealed class InMemoryPermitLog : IPermitLog
{
    private readonly Lock _lock = new();
    private readonly List<(DateTimeOffset At, bool Lookup)> _grants = [];

    public Task<int> CountHeldAsync(TimeSpan hold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_grants.Count(grant => grant.At > now - hold));
        }
    }

    public Task<DateTimeOffset?> TryTakeAsync(int limit, int? lookupLimit, TimeSpan hold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _grants.RemoveAll(grant => grant.At <= now - hold);
            // The limit-th newest grant is the one whose leaving brings the count under the limit.
            var freeAt = _grants.Count >= limit ? _grants[^limit].At + hold : (DateTimeOffset?)null;
            if (lookupLimit is { } most && _grants.Where(g => g.Lookup).ToList() is var lookups && lookups.Count >= most)
            {
                var lookupFreeAt = lookups[^most].At + hold;
                freeAt = freeAt > lookupFreeAt ? freeAt : lookupFreeAt;
            }

            if (freeAt is null)
            {
                _grants.Add((now, lookupLimit is not null));
                if (_grants.Count > 1 && _grants[^2].At > now)
                {
                    _grants.Sort((a, b) => a.At.CompareTo(b.At));
                }
            }

            return Task.FromResult(freeAt);
        }
    }
}
