namespace Bridge.Forwarding;

/// <summary>The way a reply reached the person who asked.</summary>
internal enum ReplyRoute
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
