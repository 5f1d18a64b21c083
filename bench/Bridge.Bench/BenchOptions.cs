using System.Globalization;

namespace Bridge.Bench;

/// <summary>The command line: which scenarios to run and how big.</summary>
internal sealed record BenchOptions
{
    public static readonly string[] AllScenarios = ["startup", "ack", "baseline", "store", "teams-ack", "e2e", "ratelimit", "memory", "media16mb", "transcode", "durability", "history", "search", "replicas"];

    public const string Usage = """
        Usage: dotnet run -c Release --project bench/Bridge.Bench -- [options]

          --scenario LIST      comma-separated: startup, ack, baseline, store, teams-ack, e2e, ratelimit, memory, media16mb, transcode,
                               durability, history, search, replicas, all (default all).
                               ack and baseline together are run level by level, interleaved, and give the overhead ratio.
          --clients LIST       concurrency levels for ack/baseline/store (default 1,10,50,200)
          --duration S         measured seconds per level (default 10)
          --teams-clients LIST concurrency levels for teams-ack (default 1,10,50)
          --warmup S           unmeasured seconds before each level (default 20: until .NET's tiered JIT has settled)
          --send-delay S       how long the fake WhatsApp API takes to answer a send during ack/memory (default 2)
          --e2e-count N        sequential end-to-end probes (default 100)
          --rl-permits N       requests allowed per window, at Bridge and at the fake (default 50)
          --rl-window S        the rate limit window in seconds (default 10; the provider's real one is 300 per 60)
          --rl-windows N       how many windows the rate limit run measures (default 3)
          --rl-groups N        groups sharing the limit, 3 to 5 (default 5)
          --startup-runs N     cold starts to time (default 3)
          --media-parallel N   videos forwarded at once in media16mb's second measurement (default 4; 1 skips it)
          --durability-commands N  commands per durability phase, traced by strace (default 300)
          --history LIST       finished jobs in the stores history starts Bridge on (default 0,100000,1000000);
                               seeded once (3 jobs per forward) and kept in bench/Bridge.Bench/bin/seeded-stores
          --search-history N   finished jobs in the store search runs on (default 300000)
          --replica-clients LIST  concurrency levels for the replicas' ack on PostgreSQL (default 50)
          --markdown-out PATH  also write the markdown block to this file
          --help               this text
        """;

    public HashSet<string> Scenarios { get; init; } = [.. AllScenarios];
    public int[] Clients { get; init; } = [1, 10, 50, 200];
    public int[] TeamsClients { get; init; } = [1, 10, 50];
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// Long enough for .NET's tiered compilation to settle: with 2 s, 20–45 % of Bridge's CPU in the measured window was
    /// the JIT recompiling hot methods (perf, 2026-12-01), a cost a long-running server pays once after start.
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan SendDelay { get; init; } = TimeSpan.FromSeconds(2);
    public int EndToEndCount { get; init; } = 100;
    public int RateLimitPermits { get; init; } = 50;
    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromSeconds(10);
    public int RateLimitWindows { get; init; } = 3;
    public int RateLimitGroups { get; init; } = 5;
    public int StartupRuns { get; init; } = 3;
    public int MediaParallel { get; init; } = 4;
    public int DurabilityCommands { get; init; } = 300;
    public int[] History { get; init; } = [0, 100_000, 1_000_000];
    public int SearchHistory { get; init; } = 300_000;
    public int[] ReplicaClients { get; init; } = [50];
    public string? MarkdownOut { get; init; }

    public bool Runs(string scenario) => Scenarios.Contains(scenario);

    /// <summary>Parses the arguments; null means the usage was asked for or an argument was wrong (already printed).</summary>
    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                var name = args[i];
                if (name is "--help" or "-h")
                {
                    Console.WriteLine(Usage);
                    return null;
                }

                var value = i + 1 < args.Length ? args[++i] : throw new FormatException($"{name} needs a value.");
                options = name switch
                {
                    "--scenario" => options with { Scenarios = ParseScenarios(value) },
                    "--clients" => options with { Clients = [.. value.Split(',').Select(Positive)] },
                    "--teams-clients" => options with { TeamsClients = [.. value.Split(',').Select(Positive)] },
                    "--duration" => options with { Duration = Seconds(value) },
                    "--warmup" => options with { Warmup = Seconds(value, allowZero: true) },
                    "--send-delay" => options with { SendDelay = Seconds(value, allowZero: true) },
                    "--e2e-count" => options with { EndToEndCount = Positive(value) },
                    "--rl-permits" => options with { RateLimitPermits = Positive(value) },
                    "--rl-window" => options with { RateLimitWindow = Seconds(value) },
                    "--rl-windows" => options with { RateLimitWindows = Positive(value) },
                    "--rl-groups" => options with { RateLimitGroups = Math.Clamp(Positive(value), 1, 5) },
                    "--startup-runs" => options with { StartupRuns = Positive(value) },
                    "--media-parallel" => options with { MediaParallel = Math.Clamp(Positive(value), 1, 4) },
                    "--durability-commands" => options with { DurabilityCommands = Positive(value) },
                    "--history" => options with { History = [.. value.Split(',').Select(Count)] },
                    "--replica-clients" => options with { ReplicaClients = [.. value.Split(',').Select(Positive)] },
                    "--search-history" => options with { SearchHistory = Positive(value) },
                    "--markdown-out" => options with { MarkdownOut = value },
                    _ => throw new FormatException($"Unknown option {name}."),
                };
            }
        }
        catch (FormatException exception)
        {
            Console.Error.WriteLine(exception.Message);
            Console.Error.WriteLine(Usage);
            return null;
        }

        return options;
    }

    private static HashSet<string> ParseScenarios(string value)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()).ToList();
        if (names.Contains("all"))
        {
            return [.. AllScenarios];
        }

        var unknown = names.Except(AllScenarios).ToList();
        return unknown.Count == 0 && names.Count > 0 ? [.. names] : throw new FormatException($"Unknown scenario {string.Join(", ", unknown)}.");
    }

    private static int Positive(string value) =>
        Count(value) is var number and > 0 ? number : throw new FormatException($"{value} is not a positive whole number.");

    private static int Count(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"{value} is not a whole number.");

    private static TimeSpan Seconds(string value, bool allowZero = false) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && (seconds > 0 || (allowZero && seconds == 0))
            ? TimeSpan.FromSeconds(seconds)
            : throw new FormatException($"{value} is not a number of seconds.");
}
