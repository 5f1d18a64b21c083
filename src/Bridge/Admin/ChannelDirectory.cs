using Bridge.Forwarding;

namespace Bridge.Admin;

/// <summary>
/// The channels the page shows or offers: the display name of every channel in the links and deliveries tables, and the
/// channels Bridge has seen (linked, or forwarded from recently) to pick from in the add-link form.
/// </summary>
internal sealed record ChannelDirectory(IReadOnlyDictionary<ChannelRef, string> Names, IReadOnlyList<ChannelRef> Seen)
{
    public static ChannelDirectory Empty { get; } = new(new Dictionary<ChannelRef, string>(), []);

    /// <summary>The name of a channel as the views hold it (platform, workspace and channel as text); its id when unknown.</summary>
    public string NameOf(string platform, string workspaceId, string channelId) =>
        Enum.TryParse<Platform>(platform, out var parsed) && Names.TryGetValue(new ChannelRef(parsed, workspaceId, channelId), out var name)
            ? name
            : channelId;
}
