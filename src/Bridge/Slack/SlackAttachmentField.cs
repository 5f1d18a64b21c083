namespace Bridge.Slack;

/// <summary>One <c>fields</c> entry of a legacy attachment: a title over a value.</summary>
internal sealed record SlackAttachmentField(string? Title, string? Value);
