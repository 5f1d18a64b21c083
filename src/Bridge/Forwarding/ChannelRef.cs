namespace Bridge.Forwarding;

/// <summary>A chat channel on one platform: a Slack channel in a workspace, or a Teams channel or chat in a tenant.</summary>
internal sealed record ChannelRef(Platform Platform, string WorkspaceId, string ChannelId);
