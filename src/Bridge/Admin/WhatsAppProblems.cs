using Bridge.WhatsApp;

namespace Bridge.Admin;

/// <summary>How a failed TalkNTalk call is told to an admin: a status and a sentence saying what to check.</summary>
internal static class WhatsAppProblems
{
    public static LinkRefusal Refusal(TalkNTalkException exception, string action) => exception.StatusCode switch
    {
        StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => new(StatusCodes.Status502BadGateway,
            "TalkNTalk refused Bridge's API key", $"Bridge could not {action}: check WhatsApp:ApiKey.", []),
        StatusCodes.Status404NotFound => new(StatusCodes.Status404NotFound,
            "Unknown session", $"Bridge could not {action}: TalkNTalk does not know this session.", []),
        _ => new(StatusCodes.Status502BadGateway,
            "WhatsApp could not be reached", $"Bridge could not {action}: {exception.Message}.", []),
    };

    public static LinkRefusal NotConfigured { get; } = new(StatusCodes.Status503ServiceUnavailable,
        "WhatsApp is not configured", "Set WhatsApp:ApiKey and WhatsApp:SessionId, then restart Bridge.", []);
}
