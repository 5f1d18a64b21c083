namespace Bridge.Forwarding;

/// <summary>
/// The longest id Bridge accepts from Slack or Teams. Ids become store keys, and LiteDB refuses an index key over
/// 1023 bytes (https://www.litedb.org/docs/indexes/), so a longer id is refused at the door with a clear reason.
/// </summary>
internal static class InboundIds
{
    /// <summary>Far above any real Slack or Teams id (a trigger_id is about 60 characters).</summary>
    public const int MaxLength = 255;

    /// <summary>The name of the first id longer than <see cref="MaxLength"/>, or null when all fit.</summary>
    public static string? FirstTooLong(params (string Name, string? Value)[] ids) =>
        ids.FirstOrDefault(id => id.Value?.Length > MaxLength).Name;

    public static string TooLongReason(string name) => $"The {name} is longer than {MaxLength} characters.";
}
