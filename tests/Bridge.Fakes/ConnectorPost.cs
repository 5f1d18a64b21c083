using System.Text.Json.Nodes;

namespace Bridge.Fakes;

/// <summary>An activity posted to the fake Connector: the raw (escaped) request target, the decoded conversation id, and the id it was given.</summary>
public sealed record ConnectorPost(string RawTarget, string ConversationId, string Authorization, string Text, JsonObject Body, string Id = "");

/// <summary>An activity replaced through the fake Connector (Update an activity): the decoded conversation and activity ids.</summary>
public sealed record ConnectorUpdate(string ConversationId, string ActivityId, string Authorization, JsonObject Body);
