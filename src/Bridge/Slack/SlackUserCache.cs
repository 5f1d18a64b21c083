using System.Collections.Concurrent;

namespace Bridge.Slack;

/// <summary>users.info answers, kept for a while: mentions and admin checks ask for the same people again and again.</summary>
internal sealed class SlackUserCache(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    private readonly ConcurrentDictionary<string, (SlackUser User, DateTimeOffset At)> _users = new();

    public SlackUser? TryGet(string userId) =>
        _users.TryGetValue(userId, out var cached) && time.GetUtcNow() - cached.At < Lifetime ? cached.User : null;

    public void Add(SlackUser user) => _users[user.Id] = (user, time.GetUtcNow());
}
