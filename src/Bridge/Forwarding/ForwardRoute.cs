namespace Bridge.Forwarding;

/// <summary>
/// Where a channel's forwards go, found before a forward is built: building one may ask the platform (user names,
/// file details), which a channel that cannot send must not cost. <see cref="Refusal"/> says why nothing can go.
/// <see cref="Groups"/> are the active links; <see cref="Paused"/> the channel's paused ones, skipped and told to the sender.
/// </summary>
internal sealed record ForwardRoute(ChannelRef Channel, IReadOnlyList<ChannelLink> Groups, ForwardOutcome? Refusal)
{
    public IReadOnlyList<ChannelLink> Paused { get; init; } = [];
}
