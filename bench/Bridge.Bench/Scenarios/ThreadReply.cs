namespace Bridge.Bench.Scenarios;

/// <summary>A thread reply (Slack) or command answer (Teams) Bridge posted, with the <see cref="System.Diagnostics.Stopwatch"/> timestamp of its arrival.</summary>
internal sealed record ThreadReply(long ArrivedAt, string Text);
