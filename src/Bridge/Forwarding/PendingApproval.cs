namespace Bridge.Forwarding;

/// <summary>
/// A send held for its preview to be confirmed: the complete built forward, the groups it goes to with their member
/// counts, and where the decision stands. Nothing of it reaches WhatsApp until it is approved; then it is accepted like
/// any send, with <see cref="DedupeKey"/>, so finishing an interrupted accept never sends twice.
/// </summary>
internal sealed class PendingApproval
{
    public string Id { get; set; } = Guid.CreateVersion7().ToString("N");
    public Forward Forward { get; set; } = new();
    public List<ApprovalGroup> Groups { get; set; } = [];
    /// <summary>The request's own dedupe key (a second preview of the same message sends once), else <c>approval:&lt;id&gt;</c>.</summary>
    public string DedupeKey { get; set; } = "";
    /// <summary>Four eyes: an approver other than the sender approves; the sender may withdraw. Otherwise the sender sends or cancels.</summary>
    public bool NeedsApprover { get; set; }
    public ApprovalState State { get; set; }
    /// <summary>Who decided: a Slack user id or a Teams AAD object id, and the name to show.</summary>
    public string? DecidedBy { get; set; }
    public string? DecidedByName { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>A scheduled send: once approved it is scheduled for this time (approval happens when it is scheduled, not when it goes).</summary>
    public DateTimeOffset? SendAt { get; set; }
    /// <summary>The IANA zone <see cref="SendAt"/> was written in, for showing it.</summary>
    public string? ZoneId { get; set; }
    /// <summary>
    /// The shown preview, so it can be redrawn when it expires unpressed (a press redraws it itself): a visible Slack
    /// message's ts, a Teams card's activity id. Null for a private Slack preview, which Slack lets no one edit after
    /// its response_url's 30 minutes, and until the preview is posted.
    /// </summary>
    public string? PreviewId { get; set; }

    /// <summary>"Tue 24 Dec 08:30 (Africa/Johannesburg)" for a scheduled send; null for one that goes when approved.</summary>
    public string? ScheduledFor => SendAt is { } at ? ScheduledSend.Describe(at, ScheduledSend.Zone(ZoneId)) : null;

    /// <summary>The people the send reaches, counting only the groups whose size is known.</summary>
    public int KnownPeople => Groups.Sum(g => g.MemberCount ?? 0);

    public bool AllCountsKnown => Groups.All(g => g.MemberCount is not null);
}
