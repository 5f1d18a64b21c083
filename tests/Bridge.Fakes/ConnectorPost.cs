using System.Text.Json.Nodes;

namespace Bridge.Fakes;

/// <summary>An activity posted to the fake Connector: the raw (escaped) request target and the decoded conversation id.</summary>
public sealed record ConnectorPost(string RawTarget, string ConversationId, string Authorization, string Text, JsonObject Body);
