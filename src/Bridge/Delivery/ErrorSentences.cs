using Bridge.WhatsApp;

namespace Bridge.Delivery;

/// <summary>What a failed send means, in a sentence a person can act on. Never includes secrets.</summary>
internal static class ErrorSentences
{
    public static string For(TalkNTalkException error, int attempts = 1)
    {
        var detail = string.IsNullOrWhiteSpace(error.Detail) ? "" : $" (WhatsApp API said: {Trim(error.Detail)})";
        return error.Failure switch
        {
            TalkNTalkFailure.Unknown =>
                $"The WhatsApp API did not confirm the send{detail}, so the message may or may not have been delivered. Check the group before sending it again.",
            TalkNTalkFailure.NotTaken =>
                $"WhatsApp was unavailable{Status(error)}{detail} after {attempts} attempt{(attempts == 1 ? "" : "s")}; the message was not sent. Try again later.",
            _ => error.StatusCode switch
            {
                400 => $"WhatsApp refused the message as invalid{detail}. Check that the linked group id ends in @g.us and the content is supported.",
                401 => "Bridge's WhatsApp API key is invalid or was revoked. Tell a Bridge admin to update WhatsApp:ApiKey.",
                403 => "Bridge's WhatsApp API key is not allowed to send this. Tell a Bridge admin to check the key's permissions.",
                404 => $"The WhatsApp phone (session) of this link is not in the organisation{detail}. An admin should link this channel again.",
                409 => "The WhatsApp phone is not connected. Reconnect it in the TalkNTalk dashboard (scan the QR code), then send again.",
                502 => $"WhatsApp rejected the message{detail}. Check its content, then try again.",
                _ => $"The WhatsApp API refused the message{Status(error)}{detail}.",
            },
        };
    }

    /// <summary>For a command that only reads from WhatsApp (groups, status, link): nothing was sent or changed.</summary>
    public static string ForLookup(TalkNTalkException error)
    {
        var detail = string.IsNullOrWhiteSpace(error.Detail) ? "" : $" (WhatsApp API said: {Trim(error.Detail)})";
        return error.StatusCode switch
        {
            401 => "Bridge's WhatsApp API key is invalid or was revoked. Tell a Bridge admin to update WhatsApp:ApiKey.",
            403 => "Bridge's WhatsApp API key is not allowed to do this. Tell a Bridge admin to check the key's permissions.",
            404 => $"Bridge's WhatsApp phone (WhatsApp:SessionId) is not in the organisation{detail}. Tell a Bridge admin.",
            _ => $"Bridge could not get an answer from WhatsApp{Status(error)}{detail}. Nothing was changed; try again in a moment.",
        };
    }

    private static string Status(TalkNTalkException error) => error.StatusCode is { } code ? $" (HTTP {code})" : "";

    private static string Trim(string detail)
    {
        var line = detail.ReplaceLineEndings(" ").Trim();
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
