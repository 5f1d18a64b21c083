namespace Bridge.Admin;

/// <summary>
/// A link to create. <see cref="SessionId"/> defaults to <c>WhatsApp:SessionId</c>; <see cref="GroupName"/> is taken
/// from List Groups when the group is found there.
/// </summary>
internal sealed record CreateLinkRequest(
    string? Platform,
    string? WorkspaceId,
    string? ChannelId,
    string? GroupId,
    string? SessionId = null,
    string? GroupName = null);
