namespace Bridge.Bench.Hosting;

/// <summary>A thread reply Bridge posted, with the <see cref="System.Diagnostics.Stopwatch"/> timestamp of its arrival.</summary>
internal sealed record ThreadReply(long ArrivedAt, string Text);
