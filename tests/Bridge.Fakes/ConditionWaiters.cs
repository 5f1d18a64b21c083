namespace Bridge.Fakes;

/// <summary>Tasks that complete once a condition over recorded state holds; the owner calls <see cref="Changed"/> after each change.</summary>
public sealed class ConditionWaiters
{
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private readonly Lock _lock = new();

    public Task WaitAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        lock (_lock)
        {
            if (condition())
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, done));
            return done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
    }

    public void Changed()
    {
        lock (_lock)
        {
            foreach (var waiter in _waiters.Where(w => w.Condition()).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
