using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;

namespace Bridge.Fakes;

/// <summary>
/// An ASP.NET Core app (Bridge, or the bench's baseline) started as its own process,
/// <c>dotnet App.dll --urls http://127.0.0.1:port</c>, and ready once <c>/healthz</c> answered 200; so it can be killed
/// with SIGKILL and started again on the same data, or measured from the outside.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int TailLines = 40;
    private const int SigTerm = 15;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string? _ownedDirectory;
    private readonly List<string> _output = [];
    private readonly ConditionWaiters _outputWaiters = new();

    private ServiceProcess(Process process, Uri baseUrl, string? ownedDirectory)
    {
        _process = process;
        BaseUrl = baseUrl;
        _ownedDirectory = ownedDirectory;
    }

    public Uri BaseUrl { get; }
    public int ProcessId => _process.Id;
    /// <summary>From <see cref="Process.Start()"/> to the first 200 from /healthz.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output => string.Join(Environment.NewLine, Lines());

    /// <summary>The last lines of <see cref="Output"/>, for error messages.</summary>
    public string OutputTail => string.Join(Environment.NewLine, Lines().TakeLast(TailLines));

    /// <summary>Null while running; otherwise how the process ended, with the tail of its output.</summary>
    public string? ExitReport => _process.HasExited ? $"exited with code {_process.ExitCode}:{Environment.NewLine}{OutputTail}" : null;

    /// <summary>
    /// Starts the app in <paramref name="environmentName"/> and waits for /healthz. <paramref name="settings"/> is given
    /// the app's own base URL (for settings that name it) and becomes its environment, <c>Section:Key</c> as
    /// <c>Section__Key</c>; <paramref name="ownedDirectory"/> is deleted when the process is disposed.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string dllPath, Func<Uri, IReadOnlyDictionary<string, string?>> settings,
        string environmentName = "Production", string? ownedDirectory = null)
    {
        var started = Stopwatch.GetTimestamp();
        var service = Launch(dllPath, settings, environmentName, ownedDirectory);
        try
        {
            await service.WaitUntilHealthyAsync();
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        service.StartupTime = Stopwatch.GetElapsedTime(started);
        return service;
    }

    private static ServiceProcess Launch(string dllPath, Func<Uri, IReadOnlyDictionary<string, string?>> settings,
        string environmentName, string? ownedDirectory)
    {
        var baseUrl = FreeBaseUrl();
        var start = Dotnet([dllPath, "--urls", baseUrl.ToString().TrimEnd('/')], Path.GetDirectoryName(dllPath)!);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environmentName;
        start.Environment["DOTNET_ENVIRONMENT"] = environmentName;
        foreach (var (key, value) in settings(baseUrl))
        {
            start.Environment[key.Replace(":", "__")] = value ?? "";
        }

        return Begin(start, baseUrl, ownedDirectory);
    }

    /// <summary>
    /// <c>dotnet run --project {projectDirectory} --no-build</c>, as a newcomer starts Bridge (its launch profile
    /// applies), told where to listen only by <c>ASPNETCORE_URLS</c>; waits for /healthz there. <paramref name="environment"/>
    /// is added to the process's environment as it is.
    /// </summary>
    public static async Task<ServiceProcess> StartWithDotnetRunAsync(string projectDirectory, string configuration,
        IReadOnlyDictionary<string, string> environment)
    {
        var baseUrl = FreeBaseUrl();
        var start = Dotnet(["run", "--project", projectDirectory, "--no-build", "-c", configuration], projectDirectory);
        start.Environment["ASPNETCORE_URLS"] = baseUrl.ToString().TrimEnd('/');
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var service = Begin(start, baseUrl, ownedDirectory: null);
        try
        {
            await service.WaitUntilHealthyAsync();
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        return service;
    }

    /// <summary>
    /// The fake TalkNTalk API run as its own process (<c>dotnet Bridge.Fakes.dll port</c>, as README's "Try it locally"
    /// runs it), built next to the caller; not waited for: await its "Fake TalkNTalk API on" line.
    /// </summary>
    public static ServiceProcess LaunchFakeTalkNTalk()
    {
        var baseUrl = FreeBaseUrl();
        var dll = Path.Combine(AppContext.BaseDirectory, "Bridge.Fakes.dll");
        return Begin(Dotnet([dll, baseUrl.Port.ToString()], AppContext.BaseDirectory), baseUrl, ownedDirectory: null);
    }

    private static ProcessStartInfo Dotnet(string[] arguments, string workingDirectory) => new("dotnet", arguments)
    {
        WorkingDirectory = workingDirectory,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };

    private static ServiceProcess Begin(ProcessStartInfo start, Uri baseUrl, string? ownedDirectory)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start dotnet {string.Join(' ', start.ArgumentList)}.");
        var service = new ServiceProcess(process, baseUrl, ownedDirectory);
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>
    /// The Bridge.dll built next to the caller (a ProjectReference copies it there), in the Testing environment, logging
    /// plain lines.
    /// </summary>
    public static Task<ServiceProcess> StartBridgeAsync(IReadOnlyDictionary<string, string?> settings) =>
        StartAsync(BridgeDll, WithPlainLogs(settings), "Testing");

    /// <summary>
    /// Bridge started as in <see cref="StartBridgeAsync"/> but not waited for, for a start that should be refused: await
    /// <see cref="WaitForExitAsync"/>.
    /// </summary>
    public static ServiceProcess LaunchBridge(IReadOnlyDictionary<string, string?> settings) =>
        Launch(BridgeDll, WithPlainLogs(settings), "Testing", ownedDirectory: null);

    private static string BridgeDll => Path.Combine(AppContext.BaseDirectory, "Bridge.dll");

    private static Func<Uri, IReadOnlyDictionary<string, string?>> WithPlainLogs(IReadOnlyDictionary<string, string?> settings) =>
        _ => new Dictionary<string, string?>(settings) { ["Logging:Console:FormatterName"] = "simple" };

    /// <summary>The exit code once the process has ended by itself and its output is read to the end.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Completes when a line of the output satisfies the condition.</summary>
    public Task WaitForOutputAsync(Func<string, bool> condition, TimeSpan? timeout = null) =>
        _outputWaiters.WaitAsync(() => Lines().Any(condition), timeout);

    public HttpClient CreateClient() => new() { BaseAddress = BaseUrl };

    /// <summary>
    /// SIGTERM, as Kubernetes or <c>docker stop</c> sends it: the exit code if the process ended within
    /// <paramref name="limit"/>, otherwise null (it is still running, to be killed on dispose).
    /// </summary>
    public async Task<int?> TerminateAsync(TimeSpan limit)
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"SIGTERM failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        using var bound = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(bound.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private Task WaitUntilHealthyAsync() => WaitForOkAsync("healthz");

    /// <summary>Completes once <c>/readyz</c> answers 200: the app can record work (its store is reachable).</summary>
    public Task WaitUntilReadyAsync() => WaitForOkAsync("readyz");

    private async Task WaitForOkAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(StartTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The process exited with code {_process.ExitCode} before /{path} answered:{Environment.NewLine}{OutputTail}");
            }

            try
            {
                using var response = await http.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            // A process gives no signal when it starts listening; short polls keep StartupTime close to the truth.
            await Task.Delay(5);
        }

        throw new TimeoutException($"/{path} did not answer 200 within {StartTimeout.TotalSeconds} s:{Environment.NewLine}{OutputTail}");
    }

    private string[] Lines()
    {
        lock (_output)
        {
            return [.. _output];
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        _outputWaiters.Changed();
    }

    private static Uri FreeBaseUrl() => new($"http://127.0.0.1:{FreePort.Next()}/");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
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
