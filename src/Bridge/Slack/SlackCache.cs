using System.Collections.Concurrent;

namespace Bridge.Slack;

/// <summary>
/// Slack look-up answers by id, kept for a while: mentions and admin checks ask users.info for the same people again and
/// again, and every admin page render asks conversations.info for the same channels.
/// </summary>
internal sealed class SlackCache<T>(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    private readonly ConcurrentDictionary<string, (T Value, DateTimeOffset At)> _values = new();

    public bool TryGet(string id, out T value)
    {
        var found = _values.TryGetValue(id, out var cached) && time.GetUtcNow() - cached.At < Lifetime;
        value = found ? cached.Value : default!;
        return found;
    }

    public void Add(string id, T value) => _values[id] = (value, time.GetUtcNow());
}
