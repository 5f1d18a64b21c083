namespace Bridge.Forwarding;

/// <summary>
/// Whether this replica knows its store to be lost: the store marks it when a call fails with
/// <see cref="StoreUnavailableException"/> (a database cut off, a full disk), and only a check that finds the store
/// ready again (<see cref="IForwardStore.CheckAsync"/>) clears it. While it is lost, inbound requests are refused at once
/// instead of each waiting on the store's timeouts, and delivery stops claiming work.
/// </summary>
internal sealed class StoreAvailability
{
    private readonly Lock _gate = new();
    private string? _lostReason;
    private TaskCompletionSource _back = Completed();
    private TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Why the store is lost, in words a person can act on ("its database cannot be reached"); null while it is not.</summary>
    public string? LostReason => Volatile.Read(ref _lostReason);

    public void MarkLost(string reason)
    {
        lock (_gate)
        {
            if (_lostReason is not null)
            {
                return;
            }

            Volatile.Write(ref _lostReason, reason);
            _back = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _lost.TrySetResult();
        }
    }

    public void MarkBack()
    {
        lock (_gate)
        {
            if (_lostReason is null)
            {
                return;
            }

            Volatile.Write(ref _lostReason, null);
            _lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _back.TrySetResult();
        }
    }

    /// <summary>Completes once the store is lost (at once while it is).</summary>
    public Task WhenLostAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _lost.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Completes once the store is back (at once while it is not lost).</summary>
    public Task WhenBackAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _back.Task.WaitAsync(cancellationToken);
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}
