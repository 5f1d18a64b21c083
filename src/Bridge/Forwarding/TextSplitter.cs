namespace Bridge.Forwarding;

/// <summary>Splits a long text into WhatsApp-sized parts, at a line or word boundary where there is one.</summary>
internal static class TextSplitter
{
    /// <summary>WhatsApp's limit for a text message body.</summary>
    public const int WhatsAppTextLimit = 4096;

    public static IReadOnlyList<string> Split(string text, int limit = WhatsAppTextLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 2);
        var parts = new List<string>();
        var rest = text.AsSpan().Trim();
        while (rest.Length > limit)
        {
            var window = rest[..limit];
            var cut = window.LastIndexOf('\n');
            if (cut < limit / 2)
            {
                cut = Math.Max(cut, window.LastIndexOf(' '));
            }

            if (cut <= 0)
            {
                // One very long word: cut it, but never between the two halves of a surrogate pair.
                cut = char.IsHighSurrogate(window[limit - 1]) ? limit - 1 : limit;
            }

            parts.Add(rest[..cut].TrimEnd().ToString());
            rest = rest[cut..].TrimStart();
        }

        if (rest.Length > 0)
        {
            parts.Add(rest.ToString());
        }

        return parts;
    }
}
