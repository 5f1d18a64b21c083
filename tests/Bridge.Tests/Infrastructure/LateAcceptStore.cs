using Bridge.Forwarding;
using Bridge.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// Bridge's own forward store, except that accepting a forward waits until the test calls <see cref="Finish"/> (what
/// Bridge answers meanwhile shows whether it waited for the write), and the first accept can fail as a full disk would.
/// </summary>
internal sealed class LateAcceptStore
{
    private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when Bridge starts accepting a forward.</summary>
    public Task Started => _started.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public void Finish() => _finish.TrySetResult();

    /// <summary>The first accept throws instead of storing anything.</summary>
    public bool FailFirstAccept { get; init; }

    private int _accepts;

    public void Install(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<IForwardStore>(sp => new Late(sp.GetRequiredService<LiteDbStore>(), this)));

    private sealed class Late(IForwardStore inner, LateAcceptStore late) : IForwardStore
    {
        public async Task<AcceptResult> AcceptAsync(Forward forward, IReadOnlyList<ChannelLink> groups, string? dedupeKey, CancellationToken cancellationToken)
        {
            late._started.TrySetResult();
            await late._finish.Task;
            if (late.FailFirstAccept && Interlocked.Increment(ref late._accepts) == 1)
            {
                throw new IOException("No space left on device");
            }

            return await inner.AcceptAsync(forward, groups, dedupeKey, cancellationToken);
        }

        public Task<Forward?> GetForwardAsync(string forwardId, CancellationToken cancellationToken) => inner.GetForwardAsync(forwardId, cancellationToken);
        public Task<Forward?> UpdateForwardAsync(string forwardId, Action<Forward> change, CancellationToken cancellationToken) => inner.UpdateForwardAsync(forwardId, change, cancellationToken);
        public Task<IReadOnlyList<Forward>> ClaimForwardsToReplyAsync(string replicaId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken) => inner.ClaimForwardsToReplyAsync(replicaId, now, leaseUntil, limit, cancellationToken);
        public Task<int> MarkFinishedForwardsReadyAsync(CancellationToken cancellationToken) => inner.MarkFinishedForwardsReadyAsync(cancellationToken);
        public Task<IReadOnlyList<DeliveryJob>> GetJobsAsync(string forwardId, CancellationToken cancellationToken) => inner.GetJobsAsync(forwardId, cancellationToken);
        public Task<DeliveryJob?> GetJobAsync(long jobId, CancellationToken cancellationToken) => inner.GetJobAsync(jobId, cancellationToken);
        public Task<IReadOnlyList<DeliveryJob>> GetUnfinishedJobsAsync(CancellationToken cancellationToken) => inner.GetUnfinishedJobsAsync(cancellationToken);
        public Task UpdateJobAsync(DeliveryJob job, CancellationToken cancellationToken) => inner.UpdateJobAsync(job, cancellationToken);
        public Task<DeliveryJob?> TryClaimJobAsync(long jobId, string replicaId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) => inner.TryClaimJobAsync(jobId, replicaId, now, leaseUntil, cancellationToken);
        public Task<int> MarkInterruptedSendsUnknownAsync(string error, DateTimeOffset now, CancellationToken cancellationToken) => inner.MarkInterruptedSendsUnknownAsync(error, now, cancellationToken);
        public Task<DeliveryJob?> RetryJobAsync(long jobId, string retriedBy, DateTimeOffset now, CancellationToken cancellationToken) => inner.RetryJobAsync(jobId, retriedBy, now, cancellationToken);
        public Task<IReadOnlyList<HourlyCount>> CountFinishedByHourAsync(DateTimeOffset since, CancellationToken cancellationToken) => inner.CountFinishedByHourAsync(since, cancellationToken);
        public Task<IReadOnlyList<DeliveryJob>> QueryJobsAsync(DeliveryQuery query, CancellationToken cancellationToken) => inner.QueryJobsAsync(query, cancellationToken);
        public Task<int> PurgeFinishedForwardsAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken) => inner.PurgeFinishedForwardsAsync(createdBefore, cancellationToken);
        public Task<int> PurgeDedupeKeysAsync(DateTimeOffset recordedBefore, CancellationToken cancellationToken) => inner.PurgeDedupeKeysAsync(recordedBefore, cancellationToken);
        public Task<long> RebuildAsync(CancellationToken cancellationToken) => inner.RebuildAsync(cancellationToken);
        public Task<bool> TryClaimAsync(string dedupeKey, DateTimeOffset at, CancellationToken cancellationToken) => inner.TryClaimAsync(dedupeKey, at, cancellationToken);
        public Task<StoreState> CheckAsync(CancellationToken cancellationToken) => inner.CheckAsync(cancellationToken);
    }
}
