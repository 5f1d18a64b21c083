namespace Bridge.WhatsApp;

/// <summary>What a failed TalkNTalk call means, in a sentence a person can act on. Never includes secrets.</summary>
internal static class TalkNTalkSentences
{
    private const string KeyRevoked = "Bridge's WhatsApp API key is invalid or was revoked. Tell a Bridge admin to update WhatsApp:ApiKey.";

    /// <summary>For a send that failed for good; <paramref name="attempts"/> counts the tries that were not taken.</summary>
    public static string ForSend(TalkNTalkException error, int attempts = 1) => error.Failure switch
    {
        TalkNTalkFailure.Unknown =>
            $"The WhatsApp API did not confirm the send{Detail(error)}, so the message may or may not have been delivered. Check the group before sending it again.",
        TalkNTalkFailure.NotTaken or TalkNTalkFailure.HeldBack =>
            $"WhatsApp was unavailable{Status(error)}{Detail(error)} after {attempts} attempt{(attempts == 1 ? "" : "s")}; the message was not sent. Try again later.",
        _ => error.StatusCode switch
        {
            400 => $"WhatsApp refused the message as invalid{Detail(error)}. Check that the linked group id ends in @g.us and the content is supported.",
            401 => KeyRevoked,
            403 => NotAllowed("send this"),
            404 => $"The WhatsApp phone (session) of this link is not in the organisation{Detail(error)}. An admin should link this channel again.",
            409 => "The WhatsApp phone is not connected. Reconnect it in the TalkNTalk dashboard (scan the QR code), then send again.",
            502 => $"WhatsApp rejected the message{Detail(error)}. Check its content, then try again.",
            _ => $"The WhatsApp API refused the message{Status(error)}{Detail(error)}.",
        },
    };

    /// <summary>For a command that only reads from WhatsApp (groups, status, link): nothing was sent or changed.</summary>
    public static string ForLookup(TalkNTalkException error) => error.StatusCode switch
    {
        401 => KeyRevoked,
        403 => NotAllowed("do this"),
        404 => $"Bridge's WhatsApp phone (WhatsApp:SessionId) is not in the organisation{Detail(error)}. Tell a Bridge admin.",
        _ => $"Bridge could not get an answer from WhatsApp{Status(error)}{Detail(error)}. Nothing was changed; try again in a moment.",
    };

    /// <summary>For an admin whose lookup failed: a short title and a sentence saying what to check.</summary>
    public static (string Title, string Detail) ForAdmin(TalkNTalkException error, string action) => error.StatusCode switch
    {
        401 or 403 => ("TalkNTalk refused Bridge's API key", $"Bridge could not {action}: check WhatsApp:ApiKey."),
        404 => ("Unknown session", $"Bridge could not {action}: TalkNTalk does not know this session."),
        _ => ("WhatsApp could not be reached", $"Bridge could not {action}: {Reason(error)}."),
    };

    /// <summary>What went wrong, in words: never the client's internal failure names.</summary>
    private static string Reason(TalkNTalkException error) => error.Failure switch
    {
        TalkNTalkFailure.HeldBack => "Bridge is holding requests to WhatsApp back after repeated failures; try again in a moment",
        TalkNTalkFailure.Unknown => $"WhatsApp did not answer{Detail(error)}",
        TalkNTalkFailure.NotTaken => $"WhatsApp was unavailable{Status(error)}{Detail(error)}",
        _ => $"WhatsApp refused the request{Status(error)}{Detail(error)}",
    };

    private static string NotAllowed(string what) =>
        $"Bridge's WhatsApp API key is not allowed to {what}. Tell a Bridge admin to check the key's permissions.";

    private static string Detail(TalkNTalkException error) =>
        string.IsNullOrWhiteSpace(error.Detail) ? "" : $" (WhatsApp API said: {Trim(error.Detail)})";

    private static string Status(TalkNTalkException error) => error.StatusCode is { } code ? $" (HTTP {code})" : "";

    private static string Trim(string detail)
    {
        var line = detail.ReplaceLineEndings(" ").Trim();
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
