using System.Diagnostics;
using System.Net;
using Bridge.Bench.Hosting;
using Bridge.Bench.Load;
using Bridge.Bench.Reporting;
using Bridge.Fakes;

namespace Bridge.Bench.Scenarios;

/// <summary>
/// Whether an admin browsing history delays Slack: ack latency on a store with a long history, idle and then while
/// one admin client runs history searches that match nothing, back to back.
/// </summary>
internal sealed class SearchScenario(BenchContext context)
{
    private const string AdminKey = "bench-admin-key-0123456789abcdef0123456789abcdef";

    /// <summary>A group no job was sent to: the search reads the whole history and finds nothing.</summary>
    private const string SearchPath = "admin/api/deliveries?group=120363400000000000%40g.us";

    public async Task RunAsync()
    {
        var options = context.Options;
        var store = await HistoryScenario.SeedAsync(context.Launcher, options.SearchHistory);
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        whatsApp.SendDelay = options.SendDelay;
        await using var slack = await FakeSlackApi.StartAsync();
        await using var bridge = await context.Launcher.StartBridgeAsync(whatsApp, slack, new Dictionary<string, string?> { ["Admin:ApiKey"] = AdminKey }, store: store.Path);
        await Launcher.LinkAsync(context.Http, bridge, slack, BenchContext.Channel, "Field Team");

        BenchContext.Progress($"search: acks on {store.Jobs:N0} finished jobs, idle");
        var idle = await HistoryScenario.AckAsync(context, bridge, slack);
        BenchContext.Progress("search: acks while an admin searches history");
        using var stop = new CancellationTokenSource();
        var searching = SearchUntilAsync(bridge, stop.Token);
        var busy = await HistoryScenario.AckAsync(context, bridge, slack);
        await stop.CancelAsync();
        var (searches, searchFailures) = await searching;

        var table = new Table($"Ack latency while the admin history search runs ({store.Jobs:N0} finished jobs)",
            ["Phase", "Ack p50", "Ack p99", "Ack max", "Accepted/s", "Late", "Searches", "Search p50", "Search max", "Failed"]);
        table.Add("idle", Format.Ms(idle.P50), Format.Ms(idle.P99), Format.Ms(idle.Max), Format.Number(idle.AcceptedPerSecond), idle.Late.ToString(), "", "", "", idle.Failed.ToString())
            .Add("while searching", Format.Ms(busy.P50), Format.Ms(busy.P99), Format.Ms(busy.Max), Format.Number(busy.AcceptedPerSecond), busy.Late.ToString(),
                searches.Count.ToString(), Format.Ms(Percentiles.Of(searches, 50)), searches.Count == 0 ? "n/a" : Format.Ms(searches.Max()), (busy.Failed + searchFailures.Count).ToString())
            .Add("ratio (searching ÷ idle)", Format.Ratio(busy.P50 / idle.P50), Format.Ratio(busy.P99 / idle.P99), "", "", "", "", "", "", "");
        table.Notes.Add($"{HistoryScenario.AckClients} closed-loop Slack clients, {options.Warmup.TotalSeconds:0.#} s warm-up + {HistoryScenario.AckDuration.TotalSeconds:0} s per phase. While searching, one admin client sends `GET /{SearchPath}` (a group no job went to, so nothing matches) with the admin key, back to back from the start of the phase; the search under way when the phase ends is awaited and counted.");
        table.Notes.Add("Late = answers that took Bridge's ack budget (\"working on it\", the real answer following through response_url): an ack that waited about 2.5 s.");
        table.Notes.AddRange(searchFailures.Take(2).Select(r => $"**Failed search: {r}**"));
        context.Report.Add(table);
    }

    /// <summary>Searches back to back until <paramref name="stop"/>, finishing the one under way: each one's latency, and why any failed.</summary>
    private static async Task<(List<double> Latencies, List<string> Failures)> SearchUntilAsync(ServiceProcess bridge, CancellationToken stop)
    {
        // Its own client without a timeout: on a long history one search can outlast the load's 30 s.
        using var admin = new HttpClient { BaseAddress = bridge.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        var latencies = new List<double>();
        var failures = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await admin.GetAsync(SearchPath, CancellationToken.None);
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.OK && body.Contains("\"items\":[]", StringComparison.Ordinal))
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                failures.Add($"HTTP {(int)response.StatusCode} {body[..Math.Min(body.Length, 120)]}");
            }
        }

        return (latencies, failures);
    }
}
