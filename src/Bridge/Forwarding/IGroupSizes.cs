namespace Bridge.Forwarding;

/// <summary>How many members a linked WhatsApp group has, for the approval check and its preview.</summary>
internal interface IGroupSizes
{
    /// <summary>The group's member count, or null when WhatsApp could not say (a failed look-up, a group not listed).</summary>
    Task<int?> MemberCountAsync(ChannelLink link, CancellationToken cancellationToken);
}
