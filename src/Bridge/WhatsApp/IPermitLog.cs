namespace Bridge.WhatsApp;

/// <summary>
/// The permits of Bridge's TalkNTalk rate limit granted over the last hold time: in this process alone
/// (<see cref="InMemoryPermitLog"/>), or in the database every replica shares, so that all of them together stay under
/// the provider's limit.
/// </summary>
internal interface IPermitLog
{
    /// <summary>
    /// Records a permit granted at <paramref name="now"/> when fewer than <paramref name="limit"/> were granted within
    /// <paramref name="hold"/> before it (and, for a look-up, one with <paramref name="lookupLimit"/>, fewer than that
    /// many look-ups), and returns null; otherwise records nothing and returns when enough of them will have aged out
    /// for it to be granted.
    /// </summary>
    Task<DateTimeOffset?> TryTakeAsync(int limit, int? lookupLimit, TimeSpan hold, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>How many permits granted within <paramref name="hold"/> before <paramref name="now"/> are still held: the limit's use, for the admin page.</summary>
    Task<int> CountHeldAsync(TimeSpan hold, DateTimeOffset now, CancellationToken cancellationToken);
}
