using Bridge.Fakes;

namespace Bridge.Playground;

/// <summary>
/// What one request from the playground's Slack user got: Bridge's HTTP answer, every message Bridge posted in Slack
/// after it, and the outcome among them (the thread reply with ✅, ❌ or ⚠️), if the request started a send.
/// </summary>
public sealed record Exchange(string Answer, IReadOnlyList<SlackPost> Posts, SlackPost? Outcome);
