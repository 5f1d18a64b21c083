using System.Diagnostics;
using Bridge.Bench.Hosting;
using Bridge.Bench.Reporting;
using Bridge.Bench.Scenarios;

namespace Bridge.Bench;

/// <summary>
/// Starts Bridge (and a minimal baseline endpoint) as real processes against fake Slack and WhatsApp APIs on
/// loopback (and Teams against a fake Bot Framework), drives them with signed slash commands, shortcuts and activities, and prints figures: a table per scenario, then a markdown block.
/// Figures, not assertions: nothing here fails on a slow machine.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (BenchOptions.Parse(args) is not { } options)
        {
            return 2;
        }

        Launcher launcher;
        try
        {
            launcher = new Launcher();
        }
        catch (InvalidOperationException exception)
        {
            Console.Error.WriteLine(exception.Message);
            return 1;
        }

        if (Launcher.Configuration != "Release")
        {
            Console.Error.WriteLine("Warning: a Debug build; figures are not representative. Run with -c Release.");
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var report = new BenchReport();
        var context = new BenchContext(options, launcher, http, report);
        var machine = Machine.Describe();
        var loadBefore = Machine.LoadAverage();
        var started = Stopwatch.GetTimestamp();
        Console.WriteLine($"Bridge bench on {machine}; load average {loadBefore}");
        Console.WriteLine($"Bridge: {launcher.BridgeDll}");

        try
        {
            if (options.Runs("startup"))
            {
                await new StartupScenario(context).RunAsync();
            }

            if (options.Runs("ack") || options.Runs("baseline"))
            {
                await new AckScenario(context).RunAsync(options.Runs("ack"), options.Runs("baseline"));
            }

            if (options.Runs("store"))
            {
                await new StoreScenario(context).RunAsync();
            }

            if (options.Runs("teams-ack"))
            {
                await new TeamsAckScenario(context).RunAsync();
            }

            if (options.Runs("e2e"))
            {
                await new EndToEndScenario(context).RunAsync();
            }

            if (options.Runs("ratelimit"))
            {
                await new RateLimitScenario(context).RunAsync();
            }

            if (options.Runs("memory"))
            {
                await new MemoryScenario(context).RunAsync();
            }

            if (options.Runs("media16mb"))
            {
                await new Media16MbScenario(context).RunAsync();
            }

            if (options.Runs("transcode"))
            {
                await new TranscodeScenario(context).RunAsync();
            }

            if (options.Runs("durability"))
            {
                await new DurabilityScenario(context).RunAsync();
            }

            if (options.Runs("history"))
            {
                await new HistoryScenario(context).RunAsync();
            }

            if (options.Runs("search"))
            {
                await new SearchScenario(context).RunAsync();
            }

            if (options.Runs("replicas"))
            {
                await new ReplicasScenario(context).RunAsync();
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            Console.Error.WriteLine($"The bench stopped: {exception.Message}");
            return 1;
        }

        var run = new Table("Run", ["Measure", "Value"]);
        run.Add("Machine", machine)
            .Add("Load average (1 min) before → after", $"{loadBefore} → {Machine.LoadAverage()}")
            .Add("Bench duration", $"{Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
        run.Notes.Add("Everything (Bridge, the fakes, the load generator) shares the same cores; a load average above the core count means other work was competing and the figures are noisy.");
        report.Add(run);

        var command = "dotnet run -c Release --project bench/Bridge.Bench" + (args.Length > 0 ? " -- " + string.Join(" ", args) : "");
        var markdown = report.ToMarkdown(machine, command);
        Console.WriteLine();
        Console.WriteLine("----- markdown (paste into the README) -----");
        Console.Write(markdown);
        Console.WriteLine("----- end of markdown -----");
        if (options.MarkdownOut is { } path)
        {
            await File.WriteAllTextAsync(path, markdown);
        }

        return 0;
    }
}
