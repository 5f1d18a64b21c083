using System.Diagnostics;
using System.Net;
using Bridge.Bench.Hosting;
using Bridge.Bench.Load;
using Bridge.Bench.Reporting;
using Bridge.Bench.Seeding;
using Bridge.Fakes;
using Bridge.Storage;

namespace Bridge.Bench.Scenarios;

/// <summary>
/// Whether history costs anything: Bridge started on stores holding 0, 100,000, 1,000,000… finished jobs, timed to
/// its first ready /readyz, its RSS once idle, and a short ack run; and the store file's size per 100,000 forwards.
/// </summary>
internal sealed class HistoryScenario(BenchContext context)
{
    public const int AckClients = 10;
    public static readonly TimeSpan AckDuration = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public async Task RunAsync()
    {
        var options = context.Options;
        var table = new Table(
            "Start-up, idle memory and ack latency by finished jobs in the store",
            ["Finished jobs", "File size", "Start-up to ready", "Idle RSS", "Ack p50", "Ack p99", "Accepted/s", "Late", "Failed"]);
        var sizes = new Table("Store file size by history", ["Store", "Forwards", "Finished jobs", "File size", "Per 100,000 forwards", "Seeded in"]);
        foreach (var jobs in options.History)
        {
            var store = jobs == 0 ? null : await SeedAsync(context.Launcher, jobs);
            if (store is not null)
            {
                sizes.Add("before retention", store.Forwards.ToString("N0"), store.Jobs.ToString("N0"), Format.Mib(store.Size),
                    Format.Mib(store.Size * 100_000 / store.Forwards), store.SeedingTime is { } time ? $"{time.TotalSeconds:0} s" : "kept from an earlier run");
            }

            BenchContext.Progress($"history: Bridge on {store?.Jobs ?? 0:N0} finished jobs");
            await using var whatsApp = await FakeTalkNTalk.StartAsync();
            whatsApp.SendDelay = options.SendDelay;
            await using var slack = await FakeSlackApi.StartAsync();
            await using var bridge = await context.Launcher.StartBridgeAsync(whatsApp, slack, store: store?.Path);
            var ready = bridge.StartupTime + await WaitUntilReadyAsync(context.Http, bridge);
            await Launcher.LinkAsync(context.Http, bridge, slack, BenchContext.Channel, "Field Team");
            await Task.Delay(Settle);
            var idle = bridge.Rss();
            var ack = await AckAsync(context, bridge, slack);
            table.Add((store?.Jobs ?? 0).ToString("N0"), store is null ? "empty" : Format.Mib(store.Size), Format.Ms(ready.TotalMilliseconds), Format.Mib(idle),
                Format.Ms(ack.P50), Format.Ms(ack.P99), Format.Number(ack.AcceptedPerSecond), ack.Late.ToString(), ack.Failed.ToString());
        }

        table.Notes.Add($"Each store is a copy of a seeded file (below). Start-up to ready = starting `dotnet Bridge.dll` to the first 200 from GET /readyz (polled every 5 ms); idle RSS = VmRSS {Settle.TotalSeconds:0} s after one link; ack = {AckClients} closed-loop clients, {options.Warmup.TotalSeconds:0.#} s warm-up + {AckDuration.TotalSeconds:0} s, the fake WhatsApp API answering sends in {options.SendDelay.TotalSeconds:0.#} s.");
        context.Report.Add(table);

        if (options.History.Where(jobs => jobs > 0).Order().FirstOrDefault() is var smallest and > 0)
        {
            await AddRetentionAsync(sizes, await SeedAsync(context.Launcher, smallest));
        }

        sizes.Notes.Add($"Seeded with Bridge's own LiteDbStore (group commit): Slack command forwards over the last 30 days, each with its dedupe key and {HistoryStore.GroupsPerForward} jobs, accepted {HistoryStore.ForwardsPerBatch:N0} at a time, then every job marked delivered with one sent part and each forward's outcome replied in its thread. Kept in bench/Bridge.Bench/bin/seeded-stores; delete that folder to seed again after the store's format changes.");
        if (sizes.Rows.Count > 1)
        {
            context.Report.Add(sizes);
        }
    }

    /// <summary>
    /// On a copy of the seeded store: the size once retention has purged all of it (LiteDB keeps the freed pages), once
    /// the same history is seeded again (the freed pages are reused: the file does not grow), and after a rebuild.
    /// </summary>
    private static async Task AddRetentionAsync(Table sizes, SeededStore seeded)
    {
        var copy = Path.Combine(Path.GetDirectoryName(seeded.Path)!, "retention-copy.db");
        HistoryStore.DeleteWithCompanions(copy);
        File.Copy(seeded.Path, copy);
        var size = () => new FileInfo(copy).Length;
        var purged = 0;
        BenchContext.Progress("history: retention on a copy of the smallest store");
        using (var store = new LiteDbStore(copy))
        {
            purged = await store.PurgeFinishedForwardsAsync(TimeProvider.System.GetUtcNow().AddDays(1), CancellationToken.None);
        }

        sizes.Add("after retention purged it all", purged.ToString("N0") + " purged", "", Format.Mib(size()), "", "");
        using (var store = new LiteDbStore(copy))
        {
            await HistoryStore.SeedAsync(store, seeded.Forwards);
        }

        sizes.Add("the same history again", seeded.Forwards.ToString("N0"), seeded.Jobs.ToString("N0"), Format.Mib(size()), Format.Mib(size() * 100_000 / seeded.Forwards), "");
        using (var store = new LiteDbStore(copy))
        {
            await store.PurgeFinishedForwardsAsync(TimeProvider.System.GetUtcNow().AddDays(1), CancellationToken.None);
            await store.RebuildAsync(CancellationToken.None);
        }

        sizes.Add("purged again, then rebuilt", "0", "0", Format.Mib(size()), "", "");
        HistoryStore.DeleteWithCompanions(copy);
        File.Delete(Path.ChangeExtension(copy, null) + "-backup.db");
    }

    /// <summary>The seeded store with <paramref name="jobs"/> finished jobs, seeded now if no earlier run left it.</summary>
    public static async Task<SeededStore> SeedAsync(Launcher launcher, int jobs)
    {
        BenchContext.Progress($"history: a store with {jobs:N0} finished jobs");
        var store = await HistoryStore.GetAsync(launcher.SeededStores, jobs);
        BenchContext.Progress(store.SeedingTime is { } time
            ? $"history: seeded {store.Path} in {time.TotalSeconds:0} s, {Format.Mib(store.Size)}"
            : $"history: kept {store.Path}, {Format.Mib(store.Size)}");
        return store;
    }

    /// <summary>A short closed-loop run of signed <c>/whatsapp</c> commands, as the ack scenario's, to the channel the caller linked.</summary>
    public static Task<LoadResult> AckAsync(BenchContext context, ServiceProcess bridge, FakeSlackApi slack)
    {
        var number = 0;
        return new LoadRunner(context.Http).RunAsync(AckClients, context.Options.Warmup, AckDuration,
            () => Launcher.SlashCommand(bridge.BaseUrl, BenchContext.Channel, $"History bench {Interlocked.Increment(ref number)}", slack.ResponseUrl()),
            AckScenario.Classify);
    }

    /// <summary>From /healthz's first 200 (where <see cref="ServiceProcess.StartupTime"/> ends) to /readyz's first 200.</summary>
    private static async Task<TimeSpan> WaitUntilReadyAsync(HttpClient http, ServiceProcess bridge)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (60 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using var response = await http.GetAsync(new Uri(bridge.BaseUrl, "readyz"));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return Stopwatch.GetElapsedTime(started);
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"/readyz did not answer 200 within 60 s of /healthz:{Environment.NewLine}{bridge.OutputTail}");
    }
}
