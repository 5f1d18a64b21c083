using System.Diagnostics;

namespace Bridge.Bench.Hosting;

/// <summary>
/// A throwaway PostgreSQL cluster on 127.0.0.1 for the replica scenarios, started and stopped by the same script CI
/// uses (<c>.ci/postgres</c>); each level gets a schema of its own in it.
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private readonly string _script;
    private readonly string _directory;

    private BenchPostgres(string script, string directory, string connectionString)
    {
        _script = script;
        _directory = directory;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>A fresh schema name, so that each level starts on an empty store.</summary>
    public static string NewSchema() => "bench_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The running cluster, or the reason it could not start (PostgreSQL not installed, say).</summary>
    public static async Task<(BenchPostgres? Cluster, string? Problem)> StartAsync(string repositoryRoot)
    {
        var script = Path.Combine(repositoryRoot, ".ci", "postgres");
        var directory = Directory.CreateTempSubdirectory("bridge-bench-pg.").FullName;
        var (status, output, error) = await RunAsync(script, "start", directory);
        if (status != 0)
        {
            return (null, $".ci/postgres start failed ({status}): {error.Trim()}");
        }

        return (new BenchPostgres(script, directory, output.Trim()), null);
    }

    public async ValueTask DisposeAsync() => await RunAsync(_script, "stop", _directory);

    private static async Task<(int Status, string Output, string Error)> RunAsync(string script, string command, string directory)
    {
        using var process = Process.Start(new ProcessStartInfo(script, [command, directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
