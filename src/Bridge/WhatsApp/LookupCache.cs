using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Internal;

namespace Bridge.WhatsApp;

/// <summary>
/// The answers of List Phones and List Groups (per session), kept for <see cref="Lifetime"/> so that admin pages and
/// commands don't spend the provider's limit, which sends need, on asking again. Callers asking at the same time share
/// one call; a failed call is not kept.
/// </summary>
internal sealed class LookupCache(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    // Expiry on Bridge's clock, so tests can move it.
    private readonly MemoryCache _answers = new(new MemoryCacheOptions { Clock = new Clock(time) });
    private readonly Lock _gate = new();

    /// <summary>
    /// The kept answer, or one call's; <paramref name="cancellationToken"/> ends this caller's wait, not the shared call,
    /// which ends as the client's calls do: each within WhatsApp:Timeout once its look-up permit is granted (within a
    /// rate-limit window).
    /// </summary>
    public async Task<T> GetAsync<T>(string key, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        Task<T> answer;
        // Under the lock, so that askers at the same time find one call (the call only starts here; it is awaited outside).
        lock (_gate)
        {
            answer = _answers.GetOrCreate(key, entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = Lifetime;
                return call();
            })!;
        }

        try
        {
            return await answer.WaitAsync(cancellationToken);
        }
        catch when (answer.IsFaulted || answer.IsCanceled)
        {
            lock (_gate)
            {
                if (_answers.TryGetValue(key, out Task<T>? kept) && kept == answer)
                {
                    _answers.Remove(key);
                }
            }

            throw;
        }
    }

    /// <summary>Forgets every answer: an admin asked for fresh ones.</summary>
    public void Clear() => _answers.Clear();

    public void Dispose() => _answers.Dispose();

    private sealed class Clock(TimeProvider time) : ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
