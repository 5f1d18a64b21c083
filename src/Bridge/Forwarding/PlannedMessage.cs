namespace Bridge.Forwarding;

/// <summary>
/// One WhatsApp message of a forward: a text, or a file (by index into the forward's attachments) with the caption
/// <see cref="Text"/>, if any.
/// </summary>
internal sealed record PlannedMessage(string? Text, int? AttachmentIndex = null);
