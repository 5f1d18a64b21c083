using Bridge.Fakes;
using Bridge.Forwarding;

namespace Bridge.UnitTests.Delivery;

/// <summary>
/// A forward store whose job updates throw, <paramref name="failures"/> of them after the first <paramref name="succeedFirst"/>, as a store that cannot write would; the
/// rest is the store it wraps. It counts the failed updates and the reply queries (each worker round leads to one), for tests to wait on.
/// </summary>
internal sealed class FailingJobUpdatesStore(IForwardStore store, int failures, int succeedFirst = 0) : IForwardStore
{
    private readonly Lock _gate = new();
    private readonly ConditionWaiters _waiters = new();
    private int _failedUpdates;
    private int _updates;
    private int _replyQueries;

    public int FailedUpdates => Volatile.Read(ref _failedUpdates);

    public int ReplyQueries => Volatile.Read(ref _replyQueries);

    public Task WaitForReplyQueriesAsync(int count) => _waiters.WaitAsync(() => ReplyQueries >= count);

    public Task UpdateJobAsync(DeliveryJob job, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (++_updates > succeedFirst && _failedUpdates < failures)
            {
                _failedUpdates++;
                _waiters.Changed();
                throw new IOException("The store file could not be written.");
            }
        }

        return store.UpdateJobAsync(job, cancellationToken);
    }

    public Task<IReadOnlyList<Forward>> ClaimForwardsToReplyAsync(
        string replicaId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _replyQueries);
        _waiters.Changed();
        return store.ClaimForwardsToReplyAsync(replicaId, now, leaseUntil, limit, cancellationToken);
    }

    public Task<DeliveryJob?> TryClaimJobAsync(
        long jobId, string replicaId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        store.TryClaimJobAsync(jobId, replicaId, now, leaseUntil, cancellationToken);

    public Task<AcceptResult> AcceptAsync(Forward forward, IReadOnlyList<ChannelLink> groups, string? dedupeKey, CancellationToken cancellationToken) =>
        store.AcceptAsync(forward, groups, dedupeKey, cancellationToken);

    public Task<Forward?> GetForwardAsync(string forwardId, CancellationToken cancellationToken) =>
        store.GetForwardAsync(forwardId, cancellationToken);

    public Task<Forward?> UpdateForwardAsync(string forwardId, Action<Forward> change, CancellationToken cancellationToken) =>
        store.UpdateForwardAsync(forwardId, change, cancellationToken);

    public Task<int> MarkFinishedForwardsReadyAsync(CancellationToken cancellationToken) =>
        store.MarkFinishedForwardsReadyAsync(cancellationToken);

    public Task<IReadOnlyList<DeliveryJob>> GetJobsAsync(string forwardId, CancellationToken cancellationToken) =>
        store.GetJobsAsync(forwardId, cancellationToken);

    public Task<DeliveryJob?> GetJobAsync(long jobId, CancellationToken cancellationToken) =>
        store.GetJobAsync(jobId, cancellationToken);

    public Task<IReadOnlyList<DeliveryJob>> GetUnfinishedJobsAsync(CancellationToken cancellationToken) =>
        store.GetUnfinishedJobsAsync(cancellationToken);

    public Task<int> MarkInterruptedSendsUnknownAsync(string error, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.MarkInterruptedSendsUnknownAsync(error, now, cancellationToken);

    public Task<DeliveryJob?> RetryJobAsync(long jobId, string retriedBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.RetryJobAsync(jobId, retriedBy, now, cancellationToken);

    public Task<IReadOnlyList<HourlyCount>> CountFinishedByHourAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        store.CountFinishedByHourAsync(since, cancellationToken);

    public Task<IReadOnlyList<DeliveryJob>> QueryJobsAsync(DeliveryQuery query, CancellationToken cancellationToken) =>
        store.QueryJobsAsync(query, cancellationToken);

    public Task<int> PurgeFinishedForwardsAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken) =>
        store.PurgeFinishedForwardsAsync(createdBefore, cancellationToken);

    public Task<int> PurgeDedupeKeysAsync(DateTimeOffset recordedBefore, CancellationToken cancellationToken) =>
        store.PurgeDedupeKeysAsync(recordedBefore, cancellationToken);

    public Task<long> RebuildAsync(CancellationToken cancellationToken) => store.RebuildAsync(cancellationToken);

    public Task<bool> TryClaimAsync(string dedupeKey, DateTimeOffset at, CancellationToken cancellationToken) =>
        store.TryClaimAsync(dedupeKey, at, cancellationToken);

    public Task<StoreState> CheckAsync(CancellationToken cancellationToken) => store.CheckAsync(cancellationToken);
}
