namespace Bridge.Teams;

/// <summary>What a valid inbound token says about its sender, checked against the activity it carries.</summary>
/// <param name="ServiceUrl">The token's <c>serviceurl</c> claim.</param>
/// <param name="Endorsements">The signing key's <c>endorsements</c> (channel ids); null when the key has none.</param>
/// <param name="IsBotFramework">False for an Entra token of the bot's tenant, which has neither.</param>
internal sealed record TeamsCaller(string? ServiceUrl, IReadOnlySet<string>? Endorsements, bool IsBotFramework = true)
{
    /// <summary>
    /// An Entra token carries no serviceurl and its keys no endorsements: the activity's serviceUrl is held to
    /// <see cref="TeamsServiceHosts"/> instead, as it is for every caller.
    /// </summary>
    public static readonly TeamsCaller Entra = new(null, null, IsBotFramework: false);

    /// <summary>The only channel Bridge serves: Web Chat, Direct Line and the other Bot Framework channels are refused.</summary>
    public const string TeamsChannelId = "msteams";

    /// <summary>
    /// Null when the activity may be handled. Whatever the token, the activity must come from Teams (403): another
    /// channel's serviceUrl and channelData are set by its own clients and must not reach a linked Teams channel. For
    /// a Bot Framework token the signing key must also be endorsed for that channel (else 403, as the Bot Framework
    /// authentication document says) and the token must have been issued for the activity's serviceUrl, so that a
    /// token for one service endpoint cannot make Bridge send its own token to another.
    /// </summary>
    public (int Status, string Reason)? Refuse(TeamsActivity activity)
    {
        if (activity.ChannelId != TeamsChannelId)
        {
            return (StatusCodes.Status403Forbidden, $"the activity's channelId '{activity.ChannelId}' is not '{TeamsChannelId}'");
        }

        if (!IsBotFramework)
        {
            return null;
        }

        if (Endorsements?.Contains(activity.ChannelId) != true)
        {
            return (StatusCodes.Status403Forbidden, $"the signing key is not endorsed for channel '{activity.ChannelId}'");
        }

        // BotBuilder compares case-insensitively (ChannelValidation); the trailing slash must match.
        if (string.IsNullOrEmpty(ServiceUrl) || !string.Equals(ServiceUrl, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return (StatusCodes.Status401Unauthorized, "the token's serviceurl claim does not match the activity's serviceUrl");
        }

        return null;
    }
}
