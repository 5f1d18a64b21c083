using Bridge.WhatsApp;

namespace Bridge.UnitTests.WhatsApp;

/// <summary>A permit log that reports each answer of the log under it: the time asked at, whether for a look-up, and whether granted.</summary>
internal sealed class RecordingPermitLog(IPermitLog log, Action<DateTimeOffset, bool, bool> answered) : IPermitLog
{
    public async Task<DateTimeOffset?> TryTakeAsync(int limit, int? lookupLimit, TimeSpan hold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var freeAt = await log.TryTakeAsync(limit, lookupLimit, hold, now, cancellationToken);
        answered(now, lookupLimit is not null, freeAt is null);
        return freeAt;
    }

    public Task<int> CountHeldAsync(TimeSpan hold, DateTimeOffset now, CancellationToken cancellationToken) => log.CountHeldAsync(hold, now, cancellationToken);
}
