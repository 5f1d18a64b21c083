
namespace Bridge.Forwarding;

/// <summary>A command typed by someone in a channel, with what the platform adapter supplies to carry it out.</summary>
/// <param name="Usage">How the command is typed on this platform, e.g. <c>/whatsapp</c> or <c>@Bridge</c>.</param>
/// <param name="IsAdminAsync">Whether the user may link and unlink (asked only when needed).</param>
/// <param name="BuildForwardAsync">Builds the forward of a text for <c>send</c>, in WhatsApp formatting.</param>
/// <param name="DedupeKey">Set when the platform may deliver the same request twice.</param>
/// <param name="RepliesInThread">False where the outcome is posted in the chat itself (Teams group and personal chats have no threads).</param>
public sealed record CommandInvocation(
    ChannelRef Channel,
    string UserId,
    string Text,
    string Usage,
    Func<CancellationToken, Task<bool>> IsAdminAsync,
    Func<string, CancellationToken, Task<Forward>> BuildForwardAsync,
    string? DedupeKey = null,
    bool RepliesInThread = true);
