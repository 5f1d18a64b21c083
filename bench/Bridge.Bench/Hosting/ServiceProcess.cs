using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Bridge.Bench.Hosting;

/// <summary>
/// An ASP.NET Core app started as its own process (<c>dotnet App.dll --urls http://127.0.0.1:port</c>), ready once
/// <c>/healthz</c> answered 200. Its output is drained (kept only as a tail for error messages).
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private const int TailLines = 40;

    private readonly Process _process;
    private readonly string? _ownedDirectory;
    private readonly Queue<string> _tail = new();

    private ServiceProcess(Process process, Uri baseUrl, string? ownedDirectory)
    {
        _process = process;
        BaseUrl = baseUrl;
        _ownedDirectory = ownedDirectory;
    }

    public Uri BaseUrl { get; }
    public int Id => _process.Id;
    /// <summary>From <see cref="Process.Start()"/> to the first 200 from /healthz.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>
    /// Starts the app and waits for /healthz; <paramref name="environment"/> is given the app's own base URL (for
    /// settings that name it); <paramref name="ownedDirectory"/> is deleted when it is disposed.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string dllPath, Func<Uri, IReadOnlyDictionary<string, string>> environment, string? ownedDirectory = null)
    {
        var port = FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dllPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dllPath);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment(baseUrl))
        {
            start.Environment[key] = value;
        }

        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start dotnet {dllPath}.");
        var service = new ServiceProcess(process, baseUrl, ownedDirectory);
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await service.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        service.StartupTime = Stopwatch.GetElapsedTime(started);
        return service;
    }

    /// <summary>Null while running; otherwise how the process ended, with the tail of its output.</summary>
    public string? ExitReport => _process.HasExited ? $"exited with code {_process.ExitCode}:{Environment.NewLine}{OutputTail}" : null;

    /// <summary>Resident set size now (VmRSS), in bytes; null once the process is gone.</summary>
    public long? Rss => ReadStatus("VmRSS:");

    /// <summary>Peak resident set size since start (VmHWM), in bytes.</summary>
    public long? PeakRss => ReadStatus("VmHWM:");

    /// <summary>
    /// Resets VmHWM to the current RSS (<c>echo 5 &gt; /proc/&lt;pid&gt;/clear_refs</c>, Linux 4.0+), so that a later
    /// <see cref="PeakRss"/> is the peak of what happened since; false when the kernel refused.
    /// </summary>
    public bool ResetPeakRss()
    {
        try
        {
            File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public string OutputTail
    {
        get
        {
            lock (_tail)
            {
                return string.Join(Environment.NewLine, _tail);
            }
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The process exited with code {_process.ExitCode} before /healthz answered:{Environment.NewLine}{OutputTail}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"/healthz did not answer 200 within {timeout.TotalSeconds} s:{Environment.NewLine}{OutputTail}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }

    private long? ReadStatus(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            var kilobytes = line?[field.Length..].Trim().Split(' ')[0];
            return kilobytes is null ? null : long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
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
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_ownedDirectory is not null)
        {
            try
            {
                Directory.Delete(_ownedDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }
}
