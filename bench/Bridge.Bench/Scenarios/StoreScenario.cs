using System.Diagnostics;
using Bridge.Bench.Load;
using Bridge.Bench.Reporting;
using Bridge.Fakes;
using Bridge.Forwarding;
using Bridge.Slack;
using Bridge.Storage;

namespace Bridge.Bench.Scenarios;

/// <summary>
/// The LiteDB store's own accept rate, without HTTP: closed-loop callers of <see cref="LiteDbStore.AcceptAsync"/> in
/// this process, each accept the record a <c>/whatsapp</c> command makes (its forward, one job, its dedupe key), group
/// committed and fsynced as in Bridge. The ceiling the ack scenario's Bridge cannot pass, whatever its HTTP path costs.
/// </summary>
internal sealed class StoreScenario(BenchContext context)
{
    private static readonly ChannelLink[] Group =
    [
        new()
        {
            Platform = Platform.Slack,
            WorkspaceId = BenchContext.Workspace,
            ChannelId = BenchContext.Channel,
            SessionId = FakeTalkNTalk.DefaultSessionId,
            GroupId = "120363410999000001@g.us",
            GroupName = "Field Team",
        },
    ];

    public async Task RunAsync()
    {
        var options = context.Options;
        var table = new Table("The LiteDB store's accept rate on its own (no HTTP)", ["Callers", "Accepts", "Accepts/s", "p50", "p99", "CPU per accept"]);
        foreach (var callers in options.Clients)
        {
            BenchContext.Progress($"store: {callers} caller(s), {options.Warmup.TotalSeconds:0.#} s warm-up + {options.Duration.TotalSeconds:0.#} s");
            table.Add(await RunLevelAsync(callers));
        }

        table.Notes.Add($"Each level on a fresh store file in a temporary folder; {options.Warmup.TotalSeconds:0.#} s warm-up, then {options.Duration.TotalSeconds:0.#} s measured. CPU per accept = this process's user + system CPU time in the measured window ÷ the accepts in it (the store's single writer thread runs every transaction).");
        context.Report.Add(table);
    }

    private async Task<string[]> RunLevelAsync(int callers)
    {
        var options = context.Options;
        var directory = Path.Combine(Path.GetTempPath(), "bridge-bench", "store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            using var store = new LiteDbStore(Path.Combine(directory, "bridge.db"));
            var measureFrom = Stopwatch.GetTimestamp() + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
            var measureTo = measureFrom + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
            var cpu = CpuDuringAsync(options.Warmup, options.Warmup + options.Duration);
            var latencies = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
            {
                var measured = new List<double>();
                while (Stopwatch.GetTimestamp() < measureTo)
                {
                    var forward = SlackForwardBuilder.NewForward(BenchContext.Workspace, BenchContext.Channel, "U08BENCHUSR", "maria.lopez");
                    forward.Text = "Bench message: the 07:30 delivery to the north depot is running about twenty minutes late.";
                    forward.Announce = true;
                    forward.CreatedAt = DateTimeOffset.UtcNow;
                    var started = Stopwatch.GetTimestamp();
                    await store.AcceptAsync(forward, Group, "slack-command:" + Guid.NewGuid().ToString("N"), CancellationToken.None);
                    var ended = Stopwatch.GetTimestamp();
                    if (ended >= measureFrom && ended < measureTo)
                    {
                        measured.Add(Stopwatch.GetElapsedTime(started, ended).TotalMilliseconds);
                    }
                }

                return measured;
            })));
            var all = latencies.SelectMany(l => l).ToArray();
            var cpuPerAccept = await cpu / Math.Max(1, all.Length);
            return
            [
                callers.ToString(), all.Length.ToString(), Format.Number(all.Length / options.Duration.TotalSeconds),
                Format.Ms(Percentiles.Of(all, 50)), Format.Ms(Percentiles.Of(all, 99)),
                cpuPerAccept is { } perAccept ? Format.Number(perAccept.TotalMicroseconds, "0") + " µs" : "n/a",
            ];
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<TimeSpan?> CpuDuringAsync(TimeSpan from, TimeSpan to)
    {
        await Task.Delay(from);
        var start = ProcessCpu.CpuTime(Environment.ProcessId);
        await Task.Delay(to - from);
        return ProcessCpu.CpuTime(Environment.ProcessId) - start;
    }
}
