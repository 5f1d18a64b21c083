namespace Bridge.Slack;

/// <summary>What Slack's Web API error codes mean for Bridge (https://docs.slack.dev/reference/methods/chat.postMessage#errors).</summary>
internal static class SlackErrors
{
    /// <summary>Slack's own trouble: the same call may work later, so the reply is retried instead of falling back.</summary>
    public static bool IsRetryable(string error) =>
        error is "ratelimited" or "rate_limited" or "internal_error" or "fatal_error" or "service_unavailable" or "request_timeout" or "team_added_to_org";

    /// <summary>The bot token or its scopes are wrong: only a Bridge or Slack admin can fix it.</summary>
    public static bool IsTokenOrScope(string error) => IsTokenRefused(error) || error is "missing_scope" or "no_permission";

    private static bool IsTokenRefused(string error) =>
        error is "invalid_auth" or "not_authed" or "token_revoked" or "token_expired" or "account_inactive";

    /// <summary>The error code with its needed scope, as history and the setup card show it.</summary>
    public static string Describe(SlackApiException exception) =>
        exception.Needed is { } needed ? $"{exception.Error} (needed: {needed})" : exception.Error;

    /// <summary>Why Bridge could not post in the channel, in a sentence the person who asked can act on.</summary>
    public static string Sentence(SlackApiException exception) => exception.Error switch
    {
        "not_in_channel" or "channel_not_found" =>
            "Bridge is not a member of this channel, so it cannot post here. Invite it with `/invite @Bridge`.",
        "is_archived" or "channel_is_archived" => "This channel is archived, so Bridge cannot post here.",
        var error when IsTokenRefused(error) =>
            $"Slack refused Bridge's bot token ({exception.Error}), so Bridge cannot post here. Tell a Bridge admin to update Slack:BotToken.",
        "missing_scope" =>
            $"Bridge's Slack app lacks the {exception.Needed ?? "needed"} permission, so it cannot post here. Tell a Slack admin to add the scope and reinstall the app.",
        "restricted_action" => "This workspace does not let Bridge post in this channel (restricted_action).",
        "msg_too_long" => "The message was too long for a Slack post.",
        _ => $"Slack refused Bridge's post here ({Describe(exception)}).",
    };
}
