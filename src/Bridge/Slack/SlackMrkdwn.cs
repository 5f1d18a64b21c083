namespace Bridge.Slack;

/// <summary>Slack mrkdwn to WhatsApp formatting.</summary>
internal static class SlackMrkdwn
{
    /// <summary>The user ids mentioned as <c>&lt;@U…&gt;</c>, to resolve to names before <see cref="ToWhatsApp"/>.</summary>
    public static IReadOnlyList<string> MentionedUserIds(string mrkdwn) => [];

    public static string ToWhatsApp(string mrkdwn, IReadOnlyDictionary<string, string> userNames) =>
        mrkdwn.Replace("&lt;", "<").Replace("&gt;", ">").Replace("&amp;", "&");
}
