namespace Bridge.Forwarding;

/// <summary>A group an approval goes to, as linked when the send was held; <see cref="MemberCount"/> is null when List Groups could not say.</summary>
internal sealed class ApprovalGroup
{
    public ChannelLink Link { get; set; } = new();
    public int? MemberCount { get; set; }
}
