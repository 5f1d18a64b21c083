using Bridge.Storage;
using Microsoft.Win32.SafeHandles;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// The store's flush to disk, recorded, and held or failed while the test says so: what Bridge answers while a flush
/// is held shows whether it waits for it.
/// </summary>
internal sealed class HeldFlush : IDiskFlush
{
    private readonly DiskFlush _disk = new();
    private readonly SemaphoreSlim _asked = new(0);
    private TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _release;
    private int _count;
    private int _tries;

    /// <summary>Flushes done so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Flushes asked for so far, failed ones too: every commit asks for one.</summary>
    public int Tries => Volatile.Read(ref _tries);

    private volatile bool _failing;

    /// <summary>While true, each flush fails with an I/O error, as a disk that refuses it.</summary>
    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    /// <summary>Holds every flush from now until <see cref="Release"/>; the task completes when the next flush is asked for.</summary>
    public Task Hold()
    {
        _requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _requested.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Release() => _release?.TrySetResult();

    /// <summary>Completes once another flush is asked for (each call waits for one more), held or not.</summary>
    public Task AskedAsync() => _asked.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(
        asked => Assert.True(asked.Result, "No further flush was asked for within 30 s."), TaskScheduler.Default);

    public void Flush(SafeFileHandle file)
    {
        Interlocked.Increment(ref _tries);
        _asked.Release();
        if (Failing)
        {
            throw new IOException("Input/output error");
        }

        _requested.TrySetResult();
        // Holding it holds the answers of its batch and of every batch committed after it.
        _release?.Task.Wait(TimeSpan.FromSeconds(30));
        _disk.Flush(file);
        Interlocked.Increment(ref _count);
    }
}
