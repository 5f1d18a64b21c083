using Bridge.Bench.Hosting;
using Bridge.Bench.Reporting;

namespace Bridge.Bench.Scenarios;

/// <summary>What every scenario shares: the options, the launcher, one HTTP client for the load, the report.</summary>
internal sealed record BenchContext(BenchOptions Options, Launcher Launcher, HttpClient Http, BenchReport Report)
{
    public const string Channel = "C08BENCHCH1";
    /// <summary>The Slack team id the signed requests carry (<see cref="Bridge.Fakes.SlackRequests.SlashCommandBody"/>'s default).</summary>
    public const string Workspace = "T08ABCD1234";

    public static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
