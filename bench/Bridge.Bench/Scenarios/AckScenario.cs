using System.Net;
using Bridge.Bench.Hosting;
using Bridge.Bench.Load;
using Bridge.Bench.Reporting;
using Bridge.Fakes;

namespace Bridge.Bench.Scenarios;

/// <summary>
/// Ack latency of signed <c>/whatsapp &lt;text&gt;</c> commands at each concurrency level, for Bridge and for the
/// baseline; when both run, level by level, so that noise from the rest of the machine hits both alike.
/// </summary>
internal sealed class AckScenario(BenchContext context)
{
    /// <summary>Slack shows the user an error when a command is not answered within 3 seconds.</summary>
    private static readonly TimeSpan SlackDeadline = TimeSpan.FromSeconds(3);

    private readonly List<string> _problems = [];

    public async Task RunAsync(bool bridge, bool baseline)
    {
        var options = context.Options;
        var table = new Table(
            $"Ack latency of signed /whatsapp commands (fake WhatsApp answers each send in {options.SendDelay.TotalSeconds:0.#} s)",
            ["Target", "Clients", "Answers", "Accepted/s", "p50", "p99", "max", "Over 3 s", "Late", "Failed", "CPU per answer", "Peak RSS"]);
        var ratios = new Table("Bridge's overhead over the baseline (Bridge ÷ baseline)", ["Clients", "p50", "p99", "Accepted/s"]);

        foreach (var clients in options.Clients)
        {
            LoadResult? bridgeResult = null;
            LoadResult? baselineResult = null;
            if (bridge)
            {
                BenchContext.Progress($"ack: Bridge, {clients} client(s), {options.Warmup.TotalSeconds:0.#} s warm-up + {options.Duration.TotalSeconds:0.#} s");
                (bridgeResult, var cpu, var peak) = await RunBridgeAsync(clients);
                table.Add(Row("Bridge", bridgeResult, cpu, peak));
            }

            if (baseline)
            {
                BenchContext.Progress($"ack: baseline, {clients} client(s)");
                (baselineResult, var cpu, var peak) = await RunBaselineAsync(clients);
                table.Add(Row("Baseline", baselineResult, cpu, peak));
            }

            if (bridgeResult is not null && baselineResult is not null)
            {
                ratios.Add(clients.ToString(),
                    Format.Ratio(bridgeResult.P50 / baselineResult.P50),
                    Format.Ratio(bridgeResult.P99 / baselineResult.P99),
                    Format.Ratio(bridgeResult.AcceptedPerSecond / baselineResult.AcceptedPerSecond));
            }
        }

        table.Notes.Add($"Closed loop: each client sends its next command as soon as the previous one is answered; {options.Warmup.TotalSeconds:0.#} s warm-up, then {options.Duration.TotalSeconds:0.#} s measured per level, each level on a freshly started process (Bridge on an empty store, one linked group).");
        table.Notes.Add("Accepted = 200 with the command's real answer (Bridge: recorded as a delivery job before answering); Late = 200 with \"working on it\" (the answer would follow through response_url); Failed = anything else. Over 3 s = answers, of any kind, that took longer than Slack waits (Slack then shows the user an error, even if Bridge accepted the command). CPU per answer = the server process's user + system CPU time during the measured window (from /proc/<pid>/stat) ÷ the answers in it: what a command costs, whatever else shares the cores. Peak RSS = VmHWM of the server process at the end of the level.");
        table.Notes.Add("The load generator and the fakes run in the bench process on the same cores as the server under test.");
        table.Notes.AddRange(_problems.Select(p => "**" + p + "**"));
        context.Report.Add(table);
        if (ratios.Rows.Count > 0)
        {
            ratios.Notes.Add("Latency ratios above 1 are Bridge's extra cost per command (durable accept in LiteDB, command parsing, background delivery competing for the same cores); the throughput ratio below 1 is the share of the baseline's rate Bridge sustains.");
            context.Report.Add(ratios);
        }
    }

    private async Task<(LoadResult Result, TimeSpan? CpuPerAnswer, long? PeakRss)> RunBridgeAsync(int clients)
    {
        var options = context.Options;
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        whatsApp.SendDelay = options.SendDelay;
        await using var slack = await FakeSlackApi.StartAsync();
        await using var bridge = await context.Launcher.StartBridgeAsync(whatsApp, slack);
        await Launcher.LinkAsync(context.Http, bridge, slack, BenchContext.Channel, "Field Team");

        var number = 0;
        var (result, cpu) = await RunMeasuredAsync(bridge, clients,
            () => Launcher.SlashCommand(bridge.BaseUrl, BenchContext.Channel, $"Bench message {Interlocked.Increment(ref number)}", slack.ResponseUrl()),
            Classify);
        Check(bridge, "Bridge", clients);
        Explain(result, "Bridge");
        return (result, cpu, bridge.PeakRss());
    }

    private async Task<(LoadResult Result, TimeSpan? CpuPerAnswer, long? PeakRss)> RunBaselineAsync(int clients)
    {
        var options = context.Options;
        await using var baseline = await context.Launcher.StartBaselineAsync();
        var number = 0;
        var (result, cpu) = await RunMeasuredAsync(baseline, clients,
            () => Launcher.SlashCommand(baseline.BaseUrl, BenchContext.Channel, $"Bench message {Interlocked.Increment(ref number)}", "http://127.0.0.1/unused"),
            (response, _) => response.StatusCode == HttpStatusCode.OK ? Outcome.Accepted : Outcome.Failed);
        Check(baseline, "The baseline", clients);
        Explain(result, "The baseline");
        return (result, cpu, baseline.PeakRss());
    }

    /// <summary>A closed-loop run against <paramref name="server"/>, with the server's CPU time per answer in the measured window.</summary>
    private async Task<(LoadResult Result, TimeSpan? CpuPerAnswer)> RunMeasuredAsync(
        ServiceProcess server, int clients, Func<HttpRequestMessage> newRequest, Func<HttpResponseMessage, string, Outcome> classify)
    {
        var options = context.Options;
        var cpu = server.CpuDuringAsync(options.Warmup, options.Warmup + options.Duration);
        var result = await new LoadRunner(context.Http).RunAsync(clients, options.Warmup, options.Duration, newRequest, classify);
        return (result, await cpu / Math.Max(1, result.Samples.Count));
    }

    private void Explain(LoadResult result, string name)
    {
        foreach (var reason in result.FailureReasons.Take(3))
        {
            _problems.Add($"{name}, {result.Clients} clients, failed answers: {reason}");
        }
    }

    /// <summary>A server that died under load is a finding: say so loudly, with its last output.</summary>
    private void Check(ServiceProcess process, string name, int clients)
    {
        if (process.ExitReport is { } report)
        {
            Console.Error.WriteLine($"{name} {report}");
            _problems.Add($"{name} exited during the {clients}-client level (see the bench's error output).");
        }
    }

    public static Outcome Classify(HttpResponseMessage response, string body) =>
        response.StatusCode != HttpStatusCode.OK ? Outcome.Failed
        : body.Contains("Sending to WhatsApp", StringComparison.Ordinal) ? Outcome.Accepted
        : body.Contains("Working on it", StringComparison.Ordinal) ? Outcome.Late
        : Outcome.Failed;

    private static string[] Row(string target, LoadResult result, TimeSpan? cpuPerAnswer, long? peakRss) =>
    [
        target, result.Clients.ToString(), result.Samples.Count.ToString(), Format.Number(result.AcceptedPerSecond),
        Format.Ms(result.P50), Format.Ms(result.P99), Format.Ms(result.Max), result.Slower(SlackDeadline.TotalMilliseconds).ToString(), result.Late.ToString(), result.Failed.ToString(),
        cpuPerAnswer is { } cpu ? Format.Number(cpu.TotalMicroseconds, "0") + " µs" : "n/a", Format.Mib(peakRss),
    ];
}
