using System.Text.Json.Nodes;

namespace Bridge.Fakes;

/// <param name="Blocks">The Block Kit blocks sent with the text; null when there were none.</param>
public sealed record SlackPost(string Channel, string Text, string? ThreadTs, string Ts, JsonArray? Blocks = null);
