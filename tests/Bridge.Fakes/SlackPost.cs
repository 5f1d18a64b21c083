using System.Text.Json.Nodes;

namespace Bridge.Fakes;

public sealed record SlackPost(string Channel, string Text, string? ThreadTs, string Ts, JsonArray? Blocks = null);
