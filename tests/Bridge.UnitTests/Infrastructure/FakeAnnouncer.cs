using Bridge.Forwarding;

namespace Bridge.UnitTests.Infrastructure;

/// <summary>A Slack-like replier: posts the visible record first, answering with <see cref="ThreadId"/>.</summary>
internal sealed class FakeAnnouncer(Platform platform) : FakeReplier(platform), IThreadAnnouncer
{
    public string? ThreadId { get; set; } = "1700000000.000100";
    /// <summary>Written by concurrent posts under a lock; read once they ended.</summary>
    public List<int> Announcements { get; } = [];

    public Task<string?> AnnounceAsync(Forward forward, IReadOnlyList<DeliveryJob> jobs, bool lastAttempt, CancellationToken cancellationToken)
    {
        lock (Announcements)
        {
            Announcements.Add(jobs.Count);
        }

        return Task.FromResult(ThreadId);
    }

    public Task<string?> AnnounceScheduleAsync(ScheduledSend schedule, CancellationToken cancellationToken) => Task.FromResult(ThreadId);
}
