namespace Bridge.Forwarding;

/// <summary>How many members a linked WhatsApp group has, for the approval check and its preview.</summary>
internal interface IGroupSizes
{
    /// <summary>
    /// The group's member count, soon (it is awaited inside Slack's and Teams' answer): the last one seen when WhatsApp
    /// is slow or fails, or null when it never said (a failed first look-up, a group not listed).
    /// </summary>
    Task<int?> MemberCountAsync(ChannelLink link, CancellationToken cancellationToken);
}
