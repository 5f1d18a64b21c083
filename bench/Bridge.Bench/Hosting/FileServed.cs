namespace Bridge.Bench.Hosting;

/// <summary>A Slack file download Bridge made, with the <see cref="System.Diagnostics.Stopwatch"/> timestamps of its start and its last byte written.</summary>
internal sealed record FileServed(string FileId, long StartedAt, long FinishedAt);
