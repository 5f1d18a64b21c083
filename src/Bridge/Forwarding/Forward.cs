namespace Bridge.Forwarding;

/// <summary>
/// One accepted request to forward content to the channel's groups: who asked, from where, what, and where the
/// outcome goes. Its per-group sends are <see cref="DeliveryJob"/>s.
/// </summary>
internal sealed class Forward
{
    public string Id { get; set; } = Guid.CreateVersion7().ToString("N");
    public Platform Platform { get; set; }
    public string WorkspaceId { get; set; } = "";
    public string ChannelId { get; set; } = "";
    /// <summary>The channel's name where the platform sent it with the message (Teams); null where unknown.</summary>
    public string? ChannelName { get; set; }
    public string UserId { get; set; } = "";
    public string UserName { get; set; } = "";
    /// <summary>The text already in WhatsApp formatting.</summary>
    public string Text { get; set; } = "";
    public List<Attachment> Attachments { get; set; } = [];
    /// <summary>Problems found while reading the source message (e.g. an image that cannot be fetched), told in the reply.</summary>
    public List<string> Notes { get; set; } = [];
    public ReplyTarget Reply { get; set; } = new();
    /// <summary>Post a visible record of the forward first and reply in its thread (Slack slash commands).</summary>
    public bool Announce { get; set; }
    /// <summary>Every group's job has ended, so the outcome can be replied.</summary>
    public bool OutcomeReady { get; set; }
    public ReplyState ReplyState { get; set; }
    public int ReplyAttempts { get; set; }
    public DateTimeOffset? NextReplyAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RepliedAt { get; set; }
    /// <summary>How the outcome reached the platform once <see cref="ReplyState.Replied"/>; None in rows older than this field.</summary>
    public ReplyRoute ReplyRoute { get; set; }
    /// <summary>Why the last reply attempt failed: with <see cref="ReplyState.Failed"/>, the exact error of every path tried.</summary>
    public string? ReplyError { get; set; }
    /// <summary>
    /// A post in the channel or thread was started and its answer is not known yet: it is never started again. Only the
    /// Slack replier sets and honours it (Slack has no idempotency key); ReplyPoster clears it in the write that records
    /// the post's outcome; Teams leaves it false.
    /// </summary>
    public bool PostInFlight { get; set; }
    /// <summary>How many times Bridge used <see cref="ReplyTarget.ResponseUrl"/> for this forward.</summary>
    public int ResponseUrlUses { get; set; }

    /// <summary>
    /// A retry of one of its jobs makes the outcome pending again: the thread gets a new reply once the retry ends,
    /// posted through the same claims as the first, so exactly once.
    /// </summary>
    public void AwaitRetriedOutcome()
    {
        OutcomeReady = false;
        ReplyState = ReplyState.Pending;
        ReplyAttempts = 0;
        NextReplyAt = null;
        ReplyError = null;
        PostInFlight = false;
    }

    public ChannelRef Channel => new(Platform, WorkspaceId, ChannelId);

    /// <summary>The visible record is still to be posted: neither its thread nor the private way is known yet.</summary>
    public bool RecordPending => Announce && Reply.ThreadId is null && !Reply.RepliesPrivately;

    /// <summary>
    /// When its next reply step (a visible record to post, or an outcome ready to reply) falls due; null while it waits
    /// for nothing of its own. Stores keep it indexed, so the reply poster reads only what is due, never the backlog.
    /// </summary>
    public DateTimeOffset? ReplyDueAt =>
        ReplyState == ReplyState.Pending && (OutcomeReady || RecordPending) ? NextReplyAt ?? CreatedAt : null;

}
