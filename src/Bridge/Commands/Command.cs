namespace Bridge.Commands;

/// <summary>A parsed command: the same words in Slack and Teams.</summary>
internal sealed record Command(CommandVerb Verb, string Argument)
{
    private static readonly Dictionary<string, CommandVerb> Verbs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["send"] = CommandVerb.Send,
        ["link"] = CommandVerb.Link,
        ["unlink"] = CommandVerb.Unlink,
        ["groups"] = CommandVerb.Groups,
        ["status"] = CommandVerb.Status,
        ["scheduled"] = CommandVerb.Scheduled,
        ["cancel"] = CommandVerb.Cancel,
        ["help"] = CommandVerb.Help,
    };

    /// <summary>The first word picks the command; text that starts with any other word is sent as it is.</summary>
    public static Command Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return new Command(CommandVerb.Help, "");
        }

        var end = trimmed.IndexOfAny([' ', '\n', '\t', '\r']);
        var word = end < 0 ? trimmed : trimmed[..end];
        var rest = end < 0 ? "" : trimmed[(end + 1)..].Trim();
        return Verbs.TryGetValue(word, out var verb)
            ? new Command(verb, rest)
            : new Command(CommandVerb.Send, trimmed);
    }
}
