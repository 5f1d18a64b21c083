namespace Bridge.Bench.Scenarios;

/// <summary>A media send the fake WhatsApp API received (Stopwatch timestamp), and its fetch of the URL from Bridge.</summary>
internal sealed record MediaFetch(long ReceivedAt, Task<FetchedMedia> Done);
