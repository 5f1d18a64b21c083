using Bridge.Forwarding;

namespace Bridge.Commands;

/// <summary>
/// A command as the platform adapter parsed it, in plain data rather than callbacks: for <c>send</c> only, the adapter
/// asks <see cref="Forwarder.RouteAsync"/> first and builds the forward (it holds the message) only on an open route;
/// both stay null for every other verb. Whether the user is an admin is not data here: Slack may have to ask users.info,
/// which link and unlink do only after their own checks, through <see cref="ICommandAdmins"/>.
/// </summary>
/// <param name="Usage">How the command is typed on this platform, e.g. <c>/whatsapp</c> or <c>@Bridge</c>.</param>
/// <param name="Forward">For <c>send</c> on an open route: the forward of <see cref="Command.Argument"/>, in WhatsApp formatting.</param>
/// <param name="Route">For <c>send</c>: where the channel's forwards go, or why they cannot.</param>
/// <param name="DedupeKey">Set when the platform may deliver the same request twice.</param>
/// <param name="RepliesInThread">False where the outcome is posted in the chat itself (Teams group and personal chats have no threads).</param>
/// <param name="ChannelName">The channel's name where the platform sends it with the command (Teams), kept with a link made here.</param>
/// <param name="TimeZone">For a scheduled send: the sender's IANA time zone where the platform says it; null reads times as UTC.</param>
/// <param name="UserName">The sender's name as people know it, where the platform gives it (who cancelled a scheduled send).</param>
internal sealed record CommandRequest(
    ChannelRef Channel,
    string UserId,
    string Usage,
    Command Command,
    Forward? Forward = null,
    ForwardRoute? Route = null,
    string? DedupeKey = null,
    bool RepliesInThread = true,
    string? ChannelName = null,
    string? TimeZone = null,
    string? UserName = null);
