namespace Bridge.Bench.Scenarios;

/// <summary>What a fetch of a media URL read: its length, its SHA-256, and the Stopwatch timestamp of the last byte.</summary>
internal sealed record FetchedMedia(long Bytes, byte[] Hash, long At);
