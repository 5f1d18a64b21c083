using Bridge.Forwarding;

namespace Bridge.Admin;

/// <summary>A channel link as the admin API shows it.</summary>
internal sealed record LinkView(
    string Id,
    string Platform,
    string WorkspaceId,
    string ChannelId,
    string SessionId,
    string GroupId,
    string GroupName,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    bool Paused,
    string? ChannelName,
    bool RequiresApproval)
{

    internal static LinkView From(ChannelLink link) => new(
        link.Id, link.Platform.ToString(), link.WorkspaceId, link.ChannelId, link.SessionId, link.GroupId, link.GroupName,
        link.CreatedBy, link.CreatedAt, link.Paused, link.ChannelName, link.RequiresApproval);
}
