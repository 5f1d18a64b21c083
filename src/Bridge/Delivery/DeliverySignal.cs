using System.Threading.Channels;

namespace Bridge.Delivery;

/// <summary>Wakes the delivery worker when there is new work, so it does not wait for its next poll.</summary>
internal sealed class DeliverySignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private TaskCompletionSource _nextNotify = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify()
    {
        _channel.Writer.TryWrite(true);
        Interlocked.Exchange(ref _nextNotify, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>
    /// Completes at the next <see cref="Notify"/>, for a waiter besides the worker (the reply poster) that must not take
    /// the worker's wake-up. Take it before looking for work, so a notice that comes while looking is not missed.
    /// </summary>
    public Task NextNotifyAsync() => Volatile.Read(ref _nextNotify).Task;

    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _channel.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: time to poll.
        }
    }
}
