using Bridge.Bench.Hosting;
using Bridge.Bench.Load;
using Bridge.Bench.Reporting;
using Bridge.Fakes;

namespace Bridge.Bench.Scenarios;

/// <summary>
/// What an accepted command costs the disk: flushes (fsync, fdatasync) and page writes (pwrite64) counted by strace
/// attached to Bridge for exactly that phase, and group commits and committed writes from Bridge's own /metrics; once
/// with one client, once with many.
/// </summary>
internal sealed class DurabilityScenario(BenchContext context)
{
    private const string CommitsMetric = "bridge_storage_bridge_store_commits";
    private const string WritesMetric = "bridge_storage_bridge_store_writes";

    /// <summary>Longer than a phase: no job finishes while it is traced, so the figures are the accept's own.</summary>
    private static readonly TimeSpan HeldSend = TimeSpan.FromMinutes(10);

    private static readonly string[] GroupNames = ["Field Team", "Drivers", "Support Desk"];

    public async Task RunAsync()
    {
        var options = context.Options;
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        whatsApp.SendDelay = HeldSend;
        await using var slack = await FakeSlackApi.StartAsync();
        // Metrics are served on a management port of their own (Metrics:Port).
        var metricsPort = FreePort.Next();
        await using var bridge = await context.Launcher.StartBridgeAsync(whatsApp, slack,
            new Dictionary<string, string?> { ["Metrics:Port"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        foreach (var group in GroupNames)
        {
            await Launcher.LinkAsync(context.Http, bridge, slack, BenchContext.Channel, group);
        }

        var traced = SyscallTrace.Available;
        var table = new Table(
            $"Disk cost per accepted /whatsapp command ({options.DurabilityCommands} commands, {GroupNames.Length} groups each)",
            ["Clients", "Accepted", "Flushes (fsync+fdatasync)", "Flushes per command", "pwrite64 calls", "pwrite64 per command", "Pages written per command", "Commits per command", "Writes per commit"]);
        var warnings = new List<string>();
        var number = 0;
        foreach (var clients in new[] { 1, options.Clients.Max() })
        {
            BenchContext.Progress($"durability: {options.DurabilityCommands} commands from {clients} client(s){(traced ? " under strace" : "")}");
            // prometheus-net starts listening at the first scrape and shows a counter once it has counted: absent is 0.
            var commitsBefore = await MetricAsync(metricsPort, CommitsMetric) ?? 0;
            var writesBefore = await MetricAsync(metricsPort, WritesMetric) ?? 0;
            await using var trace = traced ? await SyscallTrace.AttachAsync(bridge.ProcessId) : null;
            var result = await new LoadRunner(context.Http).RunCountAsync(clients, options.DurabilityCommands,
                () => Launcher.SlashCommand(bridge.BaseUrl, BenchContext.Channel, $"Durable message {Interlocked.Increment(ref number)}", slack.ResponseUrl()),
                AckScenario.Classify);
            var calls = trace is null ? null : await trace.StopAsync();
            var commits = await MetricAsync(metricsPort, CommitsMetric) - commitsBefore;
            var writes = await MetricAsync(metricsPort, WritesMetric) - writesBefore;

            // A late answer ("working on it") is recorded all the same: strace can slow an accept past Slack's budget.
            var accepted = result.Accepted + result.Late;
            table.Add(clients.ToString(), accepted.ToString(),
                calls is null ? "n/a" : calls.Flushes.ToString(), calls is null ? "n/a" : Format.Number((double)calls.Flushes / accepted, "0.00"),
                calls is null ? "n/a" : calls["pwrite64"].ToString(), calls is null ? "n/a" : Format.Number((double)calls["pwrite64"] / accepted, "0.0"),
                calls is null ? "n/a" : Format.Number((double)calls.PwriteBytes / SyscallTrace.PageSize / accepted, "0.0"),
                Format.Number((commits ?? double.NaN) / accepted, "0.00"), Format.Number((writes ?? double.NaN) / (commits ?? double.NaN), "0.0"));
            if (calls is not null)
            {
                warnings.Add($"{clients} client(s): pwritev {calls["pwritev"]}, write {calls["write"]} (console and pipes), {Format.Mib(calls.PwriteBytes)} written by pwrite64"
                    + (calls.UnevenPwrites == 0 ? ", every pwrite64 a whole number of 8 KiB pages." : $"; {calls.UnevenPwrites} pwrite64 calls were not whole 8 KiB pages."));
            }

            if (result.Failed > 0)
            {
                warnings.Add($"**{clients} client(s): {result.Failed} commands failed: {string.Join("; ", result.FailureReasons.Take(2))}**");
            }
        }

        table.Notes.Add(traced
            ? $"`strace -f -e trace=pwrite64,pwritev,write,fsync,fdatasync -p <Bridge>` attached for exactly each phase (Bridge started on an empty store, one channel linked to {GroupNames.Length} groups); pages written = bytes written by pwrite64 ÷ 8192 (LiteDB's page). strace slows Bridge down: the ack latencies are in the ack scenario, not here."
            : $"{SyscallTrace.StracePath} is missing: flushes and page writes were not counted, only /metrics.");
        table.Notes.Add($"Commits and writes from Bridge's /metrics (`{CommitsMetric}`, `{WritesMetric}`): writes per commit is the group-commit size. Each command is one accept write; its record post in the channel is a second; the fake WhatsApp API holds every send ({HeldSend.TotalMinutes:0} min), so only the first job of each group is marked sending and none finishes.");
        table.Notes.AddRange(warnings);
        context.Report.Add(table);
    }

    private async Task<double?> MetricAsync(int metricsPort, string name) =>
        PrometheusText.Value(await context.Http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics")), name);
}
