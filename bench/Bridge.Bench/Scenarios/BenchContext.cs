using Bridge.Bench.Hosting;
using Bridge.Bench.Reporting;

namespace Bridge.Bench.Scenarios;

/// <summary>What every scenario shares: the options, the launcher, one HTTP client for the load, the report.</summary>
internal sealed record BenchContext(BenchOptions Options, Launcher Launcher, HttpClient Http, BenchReport Report)
{
    public const string Channel = "C08BENCHCH1";

    public static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
