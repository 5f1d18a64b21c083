namespace Bridge.Forwarding;

/// <summary>One WhatsApp message of a forward: a text, or a media item (by index into the forward's attachments).</summary>
public sealed record PlannedMessage(string Type, string? Text, int? AttachmentIndex = null);
