namespace Bridge.Forwarding;

/// <summary>
/// <c>Approval:*</c>: when a send waits for a preview to be confirmed before anything reaches WhatsApp. Off unless an
/// admin opts in (<see cref="MinParticipants"/> 0), so an upgrade holds no one's sends; a link marked
/// <see cref="ChannelLink.RequiresApproval"/> is held either way.
/// </summary>
internal sealed class ApprovalOptions
{
    public const string Section = "Approval";

    /// <summary>A send to a group with at least this many members waits for approval; 0 turns the size check off.</summary>
    public int MinParticipants { get; set; }

    /// <summary>Slack user ids and Teams AAD object ids. When set, one of them other than the sender must approve (four eyes).</summary>
    public List<string> Approvers { get; set; } = [];

    /// <summary>How long a preview can be sent or approved.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The sentence that stops start-up, or null when the settings are usable.</summary>
    public string? Problem() =>
        MinParticipants < 0 ? "Approval:MinParticipants must be 0 (off) or a number of members, such as 100."
        : Lifetime <= TimeSpan.Zero || Lifetime > TimeSpan.FromDays(30) ? "Approval:Lifetime must be a time span above zero and at most 30 days, such as 1.00:00:00 (24 hours)."
        : Approvers.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > InboundIds.MaxLength || a.Any(char.IsWhiteSpace))
            ? "Approval:Approvers must list Slack user ids and Teams AAD object ids, one per entry, without spaces."
        : null;
}
