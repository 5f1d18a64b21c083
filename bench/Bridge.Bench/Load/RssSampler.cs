using Bridge.Fakes;

namespace Bridge.Bench.Load;

/// <summary>Reads a process's resident set size at a fixed interval (200 ms unless told) until disposed.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly List<long> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RssSampler(ServiceProcess process, TimeSpan? interval = null)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval ?? TimeSpan.FromMilliseconds(200));
            do
            {
                if (process.Rss() is { } rss)
                {
                    lock (_samples)
                    {
                        _samples.Add(rss);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result));
        });
    }

    public long Max
    {
        get
        {
            lock (_samples)
            {
                return _samples.Count == 0 ? 0 : _samples.Max();
            }
        }
    }

    public long Mean
    {
        get
        {
            lock (_samples)
            {
                return _samples.Count == 0 ? 0 : (long)_samples.Average();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
