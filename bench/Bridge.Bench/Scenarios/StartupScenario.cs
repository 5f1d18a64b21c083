using Bridge.Bench.Hosting;
using Bridge.Bench.Load;
using Bridge.Bench.Reporting;
using Bridge.Fakes;

namespace Bridge.Bench.Scenarios;

/// <summary>Process start to the first 200 from /healthz, cold, each time on a fresh store.</summary>
internal sealed class StartupScenario(BenchContext context)
{
    public async Task RunAsync()
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        var table = new Table("Start-up time to a ready /healthz", ["Target", "Runs", "min", "median", "max"]);

        var bridge = new List<double>();
        var baseline = new List<double>();
        for (var run = 0; run < context.Options.StartupRuns; run++)
        {
            BenchContext.Progress($"startup: Bridge run {run + 1}/{context.Options.StartupRuns}");
            await using (var process = await context.Launcher.StartBridgeAsync(whatsApp, slack))
            {
                bridge.Add(process.StartupTime.TotalMilliseconds);
            }

            BenchContext.Progress($"startup: baseline run {run + 1}/{context.Options.StartupRuns}");
            await using (var process = await context.Launcher.StartBaselineAsync())
            {
                baseline.Add(process.StartupTime.TotalMilliseconds);
            }
        }

        table.Add(Row("Bridge", bridge)).Add(Row("Baseline (signature check only)", baseline));
        table.Notes.Add("Measured from starting `dotnet <app>.dll` to the first 200 from GET /healthz (polled every 5 ms); Bridge on an empty LiteDB file, Slack and WhatsApp configured.");
        context.Report.Add(table);
    }

    private static string[] Row(string target, List<double> times) =>
        [target, times.Count.ToString(), Format.Ms(times.Min()), Format.Ms(Percentiles.Of(times, 50)), Format.Ms(times.Max())];
}
