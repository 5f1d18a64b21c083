namespace Bridge.Admin;

/// <summary>
/// A change to a link: its WhatsApp group (a chat_id), whether it is paused, whether every send to it waits for
/// approval, or several; what is left out stays. <see cref="SessionId"/> defaults to the link's own session.
/// </summary>
internal sealed record UpdateLinkRequest(string? Group = null, bool? Paused = null, string? SessionId = null, bool? RequiresApproval = null);
