namespace Bridge.Forwarding;

/// <summary>Where the outcome of a forward is posted. The inbound adapter of <see cref="Forward.Platform"/> reads it.</summary>
internal sealed class ReplyTarget
{
    /// <summary>Slack channel id; Teams conversation id without its <c>;messageid=</c> suffix.</summary>
    public string ConversationId { get; set; } = "";
    /// <summary>Slack thread_ts; Teams root message id. Set once the visible record is posted when <see cref="Forward.Announce"/>.</summary>
    public string? ThreadId { get; set; }
    /// <summary>
    /// Slack: the visible record could not be posted in the channel, so there is no thread and replies go to the person
    /// privately. Set instead of <see cref="ThreadId"/> when <see cref="Forward.Announce"/>.
    /// </summary>
    public bool RepliesPrivately { get; set; }
    /// <summary>Teams: the activity's serviceUrl.</summary>
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
