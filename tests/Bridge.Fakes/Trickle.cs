namespace Bridge.Fakes;

/// <summary>
/// A file body that never ends: one byte at once, then one more on each <see cref="Step"/> of the test's fake time,
/// until the client gives up. No gap between bytes is ever long, so only a limit on the whole download ends it.
/// </summary>
public sealed class Trickle(TimeProvider time)
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    private readonly ConditionWaiters _waiters = new();
    private int _bytesSent;

    public int BytesSent => Volatile.Read(ref _bytesSent);

    /// <summary>Completes once <paramref name="count"/> bytes are sent and the wait for the next one has started.</summary>
    public Task WaitForBytesAsync(int count) => _waiters.WaitAsync(() => BytesSent >= count);

    public async Task SendAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await body.WriteAsync(new byte[] { 37 }, cancellationToken);
                await body.FlushAsync(cancellationToken);
                // The next step's timer exists before the byte is reported, so a test that advances time after seeing it always releases another byte.
                var next = Task.Delay(Step, time, cancellationToken);
                Interlocked.Increment(ref _bytesSent);
                _waiters.Changed();
                await next;
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The client gave up or the host is stopping.
        }
    }
}
