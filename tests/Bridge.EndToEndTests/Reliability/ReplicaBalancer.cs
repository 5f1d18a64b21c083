using System.Collections.Concurrent;
using System.Diagnostics;

namespace Bridge.EndToEndTests.Reliability;

/// <summary>
/// Bridge processes on one database behind a tiny client-side round-robin load balancer, standing in for a Kubernetes
/// Service: requests go to the replicas in turn, skipping a replica taken out (killed, or stopping for a restart) until
/// it is ready again.
/// </summary>
internal sealed class ReplicaBalancer : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly ServiceProcess[] _replicas;
    private readonly bool[] _ready;
    private readonly int[] _inFlight;
    private readonly List<ServiceProcess> _ended = [];
    private readonly ConditionWaiters _changes = new();
    private readonly Lock _lock = new();
    private readonly HttpClient _http = new() { Timeout = Patience };
    private int _next;

    private ReplicaBalancer(IReadOnlyDictionary<string, string?> settings, ServiceProcess[] replicas)
    {
        _settings = settings;
        _replicas = replicas;
        _ready = [.. replicas.Select(_ => true)];
        _inFlight = new int[replicas.Length];
    }

    public int Count => _replicas.Length;

    /// <summary>What each kill or restart did and how long it took, for the test's output.</summary>
    public ConcurrentQueue<string> Steps { get; } = new();

    /// <summary>Every replica's output so far, the ended processes' too, for a failure's message.</summary>
    public string OutputTails => string.Join(Environment.NewLine, _ended.Concat(_replicas).Select(r => $"--- pid {r.ProcessId}:{Environment.NewLine}{r.OutputTail}"));

    public static async Task<ReplicaBalancer> StartAsync(int count, IReadOnlyDictionary<string, string?> settings)
    {
        var replicas = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => StartReplicaAsync(settings)));
        return new ReplicaBalancer(settings, replicas);
    }

    private static async Task<ServiceProcess> StartReplicaAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var replica = await ServiceProcess.StartBridgeAsync(settings);
        await replica.WaitUntilReadyAsync();
        return replica;
    }

    /// <summary>
    /// Sends the request to the next ready replica. Returns which replica it went to and its answer, or a null status
    /// when the connection failed (the replica was killed meanwhile).
    /// </summary>
    public async Task<(int Replica, int? Status, string Body)> SendAsync(Func<Uri, HttpRequestMessage> request)
    {
        var (replica, target) = await PickAsync();
        try
        {
            using var message = request(target);
            using var response = await _http.SendAsync(message);
            return (replica, (int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException exception)
        {
            return (replica, null, exception.Message);
        }
        finally
        {
            lock (_lock)
            {
                _inFlight[replica]--;
            }

            _changes.Changed();
        }
    }

    private async Task<(int Replica, Uri BaseUrl)> PickAsync()
    {
        while (true)
        {
            await _changes.WaitAsync(() => { lock (_lock) { return _ready.Any(r => r); } }, Patience);
            lock (_lock)
            {
                for (var tried = 0; tried < _replicas.Length; tried++)
                {
                    var replica = _next++ % _replicas.Length;
                    if (_ready[replica])
                    {
                        _inFlight[replica]++;
                        return (replica, _replicas[replica].BaseUrl);
                    }
                }
            }
        }
    }

    /// <summary>SIGKILL, as a node failure or an OOM kill, with requests in flight; then a new process, ready.</summary>
    public async Task KillAndRestartAsync(int replica)
    {
        TakeOut(replica);
        await _replicas[replica].KillAsync();
        var started = Stopwatch.GetTimestamp();
        await ReplaceAsync(replica);
        Steps.Enqueue($"replica {replica} killed at {DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(started):HH:mm:ss.fff}, its successor ready in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }

    /// <summary>
    /// A rolling update's step: no new requests, the ones sent already answered (as Kubernetes' preStop delay lets the
    /// Service stop sending first), SIGTERM and its exit with code 0; then a new process, ready.
    /// </summary>
    public async Task StopAndRestartAsync(int replica)
    {
        var started = Stopwatch.GetTimestamp();
        TakeOut(replica);
        await _changes.WaitAsync(() => { lock (_lock) { return _inFlight[replica] == 0; } }, Patience);
        var drained = Stopwatch.GetElapsedTime(started);
        var stopping = _replicas[replica];
        var exitCode = await stopping.TerminateAsync(TimeSpan.FromSeconds(20));
        var stopped = Stopwatch.GetElapsedTime(started);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"Replica {replica} did not stop cleanly on SIGTERM: {stopping.ExitReport ?? "still running after 20 s"}");
        }

        await ReplaceAsync(replica);
        Steps.Enqueue($"replica {replica} taken out at {DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(started):HH:mm:ss.fff}, drained in {drained.TotalSeconds:0.0} s, stopped at {stopped.TotalSeconds:0.0} s, its successor ready at {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }

    private void TakeOut(int replica)
    {
        lock (_lock)
        {
            _ready[replica] = false;
        }
    }

    private async Task ReplaceAsync(int replica)
    {
        var next = await StartReplicaAsync(_settings);
        lock (_lock)
        {
            _ended.Add(_replicas[replica]);
            _replicas[replica] = next;
            _ready[replica] = true;
        }

        _changes.Changed();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        foreach (var replica in _ended.Concat(_replicas))
        {
            await replica.DisposeAsync();
        }
    }
}
