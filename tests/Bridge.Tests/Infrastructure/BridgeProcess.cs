using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// Bridge as a real separate process (the Bridge.dll built next to the tests), so it can be killed with SIGKILL and
/// started again on the same data.
/// </summary>
public sealed class BridgeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private BridgeProcess(Process process, StringBuilder output, Uri baseUrl)
    {
        _process = process;
        _output = output;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }
    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<BridgeProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Bridge.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__")] = value ?? "";
        }

        var output = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var bridge = new BridgeProcess(process, output, new Uri($"http://127.0.0.1:{port}/"));
        await bridge.WaitUntilReadyAsync();
        return bridge;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseUrl };

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = CreateClient();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("Bridge exited at start:\n" + Output);
            }

            try
            {
                if ((await http.GetAsync("healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("Bridge did not become ready:\n" + Output);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}
