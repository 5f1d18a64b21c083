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
    /// <paramref name="hold"/> before it, and returns null; otherwise records nothing and returns when enough of them
    /// have aged out for the next to be granted.
    /// </summary>
    Task<DateTimeOffset?> TryTakeAsync(int limit, TimeSpan hold, DateTimeOffset now, CancellationToken cancellationToken);
}
