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

    public Queue<Exception> Failures { get; } = new();
    public ReplyRoute Route { get; set; } = ReplyRoute.Thread;
    /// <summary>Written by the reply lane only (one post at a time); read once a wait for them completed.</summary>
    public List<(string? ThreadId, string Text, bool LastAttempt)> Replies { get; } = [];

    public Platform Platform => platform;

    public Task WaitForRepliesAsync(int count) => _waiters.WaitAsync(() => Replies.Count >= count);

    public Task<ReplyRoute> ReplyAsync(Forward forward, string text, bool lastAttempt, CancellationToken cancellationToken)
    {
        Replies.Add((forward.Reply.ThreadId, text, lastAttempt));
        _waiters.Changed();
        return Failures.TryDequeue(out var failure) ? Task.FromException<ReplyRoute>(failure) : Task.FromResult(Route);
    }
}
