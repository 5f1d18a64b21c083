using Bridge.Fakes;
using Bridge.WhatsApp;

namespace Bridge.UnitTests.WhatsApp;

/// <summary>A permit log that records what the log under it granted and refused, as the times it was asked at.</summary>
internal sealed class RecordingPermitLog(IPermitLog log, Action<DateTimeOffset> granted, Action refused) : IPermitLog
{
    public async Task<DateTimeOffset?> TryTakeAsync(int limit, int? lookupLimit, TimeSpan hold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var freeAt = await log.TryTakeAsync(limit, lookupLimit, hold, now, cancellationToken);
        if (freeAt is null)
        {
            granted(now);
        }
        else
        {
            refused();
        }

        return freeAt;
    }
}
