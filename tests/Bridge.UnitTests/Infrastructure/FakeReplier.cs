using Bridge.Fakes;
using Bridge.Forwarding;

namespace Bridge.UnitTests.Infrastructure;

/// <summary>
/// A Teams-like thread replier (reply only) that records every call: it answers with <see cref="Route"/>, or throws the
/// next queued failure. <see cref="FakeAnnouncer"/> adds Slack's visible record.
/// </summary>
internal class FakeReplier(Platform platform) : IThreadReplier
{
    private readonly ConditionWaiters _waiters = new();
    private readonly Lock _lock = new();

    public Queue<Exception> Failures { get; } = new();
    public ReplyRoute Route { get; set; } = ReplyRoute.Thread;
    /// <summary>Awaited after a reply is recorded and before it is answered: a slow platform for the forwards it picks.</summary>
    public Func<Forward, Task>? BeforeAnswer { get; set; }
    /// <summary>Written by concurrent posts under a lock; read once a wait for them completed.</summary>
    public List<(string? ThreadId, string Text, bool LastAttempt)> Replies { get; } = [];

    public Platform Platform => platform;

    public Task WaitForRepliesAsync(int count) => _waiters.WaitAsync(() => Replies.Count >= count);

    public async Task<ReplyRoute> ReplyAsync(Forward forward, string text, IReadOnlyList<DeliveryJob> jobs, bool lastAttempt, CancellationToken cancellationToken)
    {
        Exception? failure;
        lock (_lock)
        {
            Replies.Add((forward.Reply.ThreadId, text, lastAttempt));
            Failures.TryDequeue(out failure);
        }

        _waiters.Changed();
        if (BeforeAnswer is { } before)
        {
            await before(forward);
        }

        return failure is null ? Route : throw failure;
    }
}
