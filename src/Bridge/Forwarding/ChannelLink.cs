namespace Bridge.Forwarding;

/// <summary>A chat channel linked to one WhatsApp group. A channel may have several links.</summary>
internal sealed class ChannelLink
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");
    public Platform Platform { get; set; }
    public string WorkspaceId { get; set; } = "";
    public string ChannelId { get; set; } = "";
    /// <summary>The channel's name where it was known when the link was made (a link made from Teams); null otherwise.</summary>
    public string? ChannelName { get; set; }
    public string SessionId { get; set; } = "";
    public string GroupId { get; set; } = "";
    public string GroupName { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>A paused link keeps its channel but nothing is sent to its group; senders are told it is paused.</summary>
    public bool Paused { get; set; }
    /// <summary>Every send to this group waits for its preview to be confirmed (<see cref="ApprovalGate"/>), whatever the group's size.</summary>
    public bool RequiresApproval { get; set; }

    public ChannelRef Channel => new(Platform, WorkspaceId, ChannelId);

    /// <summary>A copy to hand out: stores keep their own, which a caller's change must not reach.</summary>
    public ChannelLink Copy() => (ChannelLink)MemberwiseClone();
}
