using System.Text.Json.Nodes;

namespace Bridge.Fakes;

/// <summary>A post to a response_url: its text and, for Block Kit answers, the whole body (blocks, replace_original).</summary>
public sealed record ResponseUrlPost(string Id, string Text, string Authorization, JsonObject? Body = null);
