using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Bridge.Bench.Load;

/// <summary>
/// strace attached to every thread of a running process for one phase (<c>strace -f -p</c>), tracing only the calls
/// that write or flush files; <see cref="StopAsync"/> detaches it and counts what it saw. strace slows the traced
/// process a lot: take no latency from a traced phase.
/// </summary>
internal sealed partial class SyscallTrace : IAsyncDisposable
{
    public const string StracePath = "/usr/bin/strace";
    private const string Traced = "pwrite64,pwritev,write,fsync,fdatasync";
    private const int SigInt = 2;

    private readonly Process _strace;
    private readonly string _output;

    private SyscallTrace(Process strace, string output)
    {
        _strace = strace;
        _output = output;
    }

    public static bool Available => File.Exists(StracePath);

    /// <summary>Starts strace on <paramref name="processId"/> and returns once it is attached to all its threads.</summary>
    public static async Task<SyscallTrace> AttachAsync(int processId)
    {
        var output = Path.Combine(Path.GetTempPath(), $"bridge-bench-strace-{Guid.NewGuid():N}.txt");
        // -s 0: no buffer contents, only the calls, their descriptors and results.
        var start = new ProcessStartInfo(StracePath, ["-f", "-s", "0", "-e", "trace=" + Traced, "-o", output, "-p", processId.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var strace = Process.Start(start) ?? throw new InvalidOperationException("strace could not be started.");
        var trace = new SyscallTrace(strace, output);
        // strace says "Process N attached with M threads" once every thread is attached.
        while (await strace.StandardError.ReadLineAsync() is { } line)
        {
            if (line.Contains("attached", StringComparison.Ordinal))
            {
                _ = strace.StandardError.ReadToEndAsync();
                return trace;
            }
        }

        await trace.DisposeAsync();
        throw new InvalidOperationException($"strace could not attach to process {processId} (exit code {strace.ExitCode}); ptrace may be forbidden here.");
    }

    /// <summary>Detaches strace (SIGINT, as Ctrl-C would) and counts the calls it recorded.</summary>
    public async Task<SyscallCounts> StopAsync()
    {
        kill(_strace.Id, SigInt);
        await _strace.WaitForExitAsync();
        return Count(File.ReadLines(_output));
    }

    /// <summary>
    /// Counts calls in strace's output. With -f a call interrupted by another thread's is split in two lines,
    /// "pwrite64(… &lt;unfinished ...&gt;" then "&lt;... pwrite64 resumed&gt;…) = 8192": the call is counted on its first line,
    /// its result read from whichever line has it.
    /// </summary>
    private static SyscallCounts Count(IEnumerable<string> lines)
    {
        var calls = new Dictionary<string, int>();
        long pwriteBytes = 0;
        var unevenPwrites = 0;
        foreach (var line in lines)
        {
            string name;
            if (ResumedCall().Match(line) is { Success: true } resumed)
            {
                name = resumed.Groups["name"].Value;
            }
            else if (StartedCall().Match(line) is { Success: true } started)
            {
                name = started.Groups["name"].Value;
                calls[name] = calls.GetValueOrDefault(name) + 1;
            }
            else
            {
                continue;
            }

            if (name == "pwrite64" && Result().Match(line) is { Success: true } result)
            {
                var bytes = long.Parse(result.Groups["bytes"].Value, CultureInfo.InvariantCulture);
                pwriteBytes += bytes;
                if (bytes % PageSize != 0)
                {
                    unevenPwrites++;
                }
            }
        }

        return new SyscallCounts(calls, pwriteBytes, unevenPwrites);
    }

    /// <summary>LiteDB 5's page: every page write is a multiple of it.</summary>
    public const int PageSize = 8192;

    [GeneratedRegex(@"^\d+\s+(?<name>\w+)\(")]
    private static partial Regex StartedCall();

    [GeneratedRegex(@"<\.\.\. (?<name>\w+) resumed>")]
    private static partial Regex ResumedCall();

    [GeneratedRegex(@"\)\s+=\s+(?<bytes>\d+)$")]
    private static partial Regex Result();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int processId, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_strace.HasExited)
        {
            _strace.Kill();
            await _strace.WaitForExitAsync();
        }

        _strace.Dispose();
        File.Delete(_output);
    }
}
