namespace Bridge.Forwarding;

/// <summary>
/// Which chat channels forward to which WhatsApp groups. Each call is atomic on its own; links are returned as copies
/// (changing one changes nothing stored). A failed call changes nothing.
/// </summary>
internal interface ILinkStore
{
    /// <summary>The channel's links, oldest first.</summary>
    Task<IReadOnlyList<ChannelLink>> GetLinksAsync(ChannelRef channel, CancellationToken cancellationToken);

    /// <summary>Every link matching the filters given (null matches all), by platform, channel, then age.</summary>
    Task<IReadOnlyList<ChannelLink>> ListLinksAsync(
        Platform? platform, string? channelId, string? groupId, CancellationToken cancellationToken);

    /// <summary>Adds the link; false, adding nothing, when the channel is already linked to that group in that session.</summary>
    Task<bool> AddLinkAsync(ChannelLink link, CancellationToken cancellationToken);

    /// <summary>
    /// Changes the link with <paramref name="link"/>'s id to its session, group, group name, paused state and whether it requires approval (its channel
    /// and creation stay); <see cref="LinkUpdate.Duplicate"/>, changing nothing, when the channel already has another link
    /// to that group in that session.
    /// </summary>
    Task<LinkUpdate> UpdateLinkAsync(ChannelLink link, CancellationToken cancellationToken);

    /// <summary>Removes the link; false when no link has that id.</summary>
    Task<bool> RemoveLinkAsync(string linkId, CancellationToken cancellationToken);
}
