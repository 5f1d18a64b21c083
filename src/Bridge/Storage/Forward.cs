using Bridge.Forwarding;

namespace Bridge.Storage;

/// <summary>
/// One accepted request to forward content to the channel's groups: who asked, from where, what, and where the
/// outcome goes. Its per-group sends are <see cref="DeliveryJob"/>s.
/// </summary>
public sealed class Forward
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");
    public Platform Platform { get; set; }
    public string WorkspaceId { get; set; } = "";
    public string ChannelId { get; set; } = "";
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

    public ChannelRef Channel => new(Platform, WorkspaceId, ChannelId);
}

/// <summary>Where the outcome of a forward is posted. The inbound adapter of <see cref="Forward.Platform"/> reads it.</summary>
public sealed class ReplyTarget
{
    /// <summary>Slack channel id; Teams conversation id without its <c>;messageid=</c> suffix.</summary>
    public string ConversationId { get; set; } = "";
    /// <summary>Slack thread_ts; Teams root message id. Set once the visible record is posted when <see cref="Forward.Announce"/>.</summary>
    public string? ThreadId { get; set; }
    /// <summary>Teams: the activity's serviceUrl. Slack rows stored before <see cref="ResponseUrl"/> hold the response_url here.</summary>
    public string? ServiceUrl { get; set; }
    /// <summary>Slack: the command's response_url for private answers.</summary>
    public string? ResponseUrl { get; set; }
    /// <summary>Teams: the bot's account id (recipient of the inbound activity).</summary>
    public string? BotId { get; set; }
    /// <summary>Teams: the bot's name as the inbound activity gave it.</summary>
    public string? BotName { get; set; }
    /// <summary>Teams: the message replied to. Null in rows stored before replies named it: those reply to <see cref="ThreadId"/>, the thread's root.</summary>
    public string? ReplyToId { get; set; }
    /// <summary>Teams: the account of the person who wrote (the reply's recipient); null in older rows.</summary>
    public string? RecipientId { get; set; }
    public string? RecipientName { get; set; }
}

/// <summary>The way a reply reached the person who asked.</summary>
public enum ReplyRoute
{
    None,
    /// <summary>In the channel, in the forward's thread.</summary>
    Thread,
    /// <summary>Privately, through the command's Slack response_url.</summary>
    ResponseUrl,
    /// <summary>Privately, as a Slack ephemeral message in the channel.</summary>
    Ephemeral,
    /// <summary>Privately, as a direct message from the bot.</summary>
    DirectMessage,
    /// <summary>In the chat the request came from, which has no threads (Teams group and personal chats).</summary>
    Chat,
}

public enum ReplyState
{
    Pending,
    Replied,
    /// <summary>The reply could not be posted after every attempt; the outcome stays in the delivery history.</summary>
    Failed,
}

/// <summary>A file to forward. It is fetched from <see cref="SourceUrl"/> before the first send and kept in the store.</summary>
public sealed class Attachment
{
    public string Name { get; set; } = "";
    public string MimeType { get; set; } = "";
    public long? Size { get; set; }
    public string SourceUrl { get; set; } = "";
    /// <summary>How it is sent: <c>image</c>, <c>video</c>, <c>voice</c>, or <c>link</c> (a text with a link to the stored copy).</summary>
    public string Kind { get; set; } = "";
    /// <summary>Id of the stored copy once fetched.</summary>
    public string? MediaId { get; set; }
}
