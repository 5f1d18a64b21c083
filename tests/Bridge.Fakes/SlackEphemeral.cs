using System.Text.Json.Nodes;

namespace Bridge.Fakes;

public sealed record SlackEphemeral(string Channel, string User, string Text, string? ThreadTs, JsonArray? Blocks = null);
