namespace Bridge.Forwarding;

/// <summary>
/// Turns a forward's text and files into the WhatsApp messages to send, in order: each media item as its own
/// message with the text as the caption of the first, or the text alone (split when long).
/// </summary>
public static class MessagePlanner
{
    /// <summary>WhatsApp shows captions up to this length; a longer text goes as its own message first.</summary>
    public const int CaptionLimit = 1024;

    public static IReadOnlyList<PlannedMessage> Plan(string text, IReadOnlyList<string> mediaTypes)
    {
        var messages = new List<PlannedMessage>();
        var caption = text.Trim();
        if (mediaTypes.Count == 0 || caption.Length > CaptionLimit)
        {
            messages.AddRange(TextSplitter.Split(caption).Select(part => new PlannedMessage("text", part)));
            caption = "";
        }

        for (var i = 0; i < mediaTypes.Count; i++)
        {
            messages.Add(new PlannedMessage(mediaTypes[i], i == 0 && caption.Length > 0 ? caption : null, i));
        }

        return messages;
    }
}
