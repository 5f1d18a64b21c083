namespace Bridge.Forwarding;

/// <summary>
/// Turns a forward's text and files into the WhatsApp messages to send, in order: each media item as its own
/// message with the text as the caption of the first, or the text alone (split when long).
/// </summary>
internal static class MessagePlanner
{
    /// <summary>WhatsApp shows captions up to this length; a longer text goes as its own message first.</summary>
    public const int CaptionLimit = 1024;

    public static IReadOnlyList<PlannedMessage> Plan(string text, int attachments)
    {
        var messages = new List<PlannedMessage>();
        var caption = text.Trim();
        if (attachments == 0 || caption.Length > CaptionLimit)
        {
            messages.AddRange(TextSplitter.Split(caption).Select(part => new PlannedMessage(part)));
            caption = "";
        }

        for (var i = 0; i < attachments; i++)
        {
            messages.Add(new PlannedMessage(i == 0 && caption.Length > 0 ? caption : null, i));
        }

        return messages;
    }
}
