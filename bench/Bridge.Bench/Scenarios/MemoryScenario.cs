using Bridge.Bench.Hosting;
using Bridge.Bench.Load;
using Bridge.Bench.Reporting;
using Bridge.Fakes;

namespace Bridge.Bench.Scenarios;

/// <summary>Bridge's resident memory idle, under the heaviest ack load, and at its peak (from /proc/&lt;pid&gt;/status).</summary>
internal sealed class MemoryScenario(BenchContext context)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public async Task RunAsync()
    {
        var options = context.Options;
        var clients = options.Clients.Max();
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        whatsApp.SendDelay = options.SendDelay;
        await using var slack = await FakeSlackApi.StartAsync();
        await using var bridge = await context.Launcher.StartBridgeAsync(whatsApp, slack);
        await Launcher.LinkAsync(context.Http, bridge, slack, BenchContext.Channel, "Field Team");

        BenchContext.Progress($"memory: {Settle.TotalSeconds:0} s idle, then {clients} clients for {options.Duration.TotalSeconds:0.#} s");
        await Task.Delay(Settle);
        var idle = bridge.Rss();

        LoadResult load;
        long mean, max;
        await using (var sampler = new RssSampler(bridge))
        {
            var number = 0;
            load = await new LoadRunner(context.Http).RunAsync(clients, TimeSpan.Zero, options.Duration,
                () => Launcher.SlashCommand(bridge.BaseUrl, BenchContext.Channel, $"Memory {Interlocked.Increment(ref number)}", slack.ResponseUrl()),
                AckScenario.Classify);
            mean = sampler.Mean;
            max = sampler.Max;
        }

        var table = new Table("Bridge memory (resident set size)", ["Measure", "Value"]);
        table.Add($"Idle ({Settle.TotalSeconds:0} s after start-up and one link)", Format.Mib(idle))
            .Add($"Under load ({clients} clients, {options.Duration.TotalSeconds:0.#} s, {load.Accepted} commands accepted): mean", Format.Mib(mean))
            .Add("Under load: highest sample", Format.Mib(max))
            .Add("Peak since start (VmHWM)", Format.Mib(bridge.PeakRss()));
        table.Notes.Add($"VmRSS sampled every 200 ms from /proc/<pid>/status; the fake WhatsApp API answers sends in {options.SendDelay.TotalSeconds:0.#} s, so the backlog of pending jobs grows during the load. ASP.NET Core's default server GC.");
        context.Report.Add(table);
    }
}
