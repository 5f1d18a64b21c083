using Bridge.WhatsApp;

namespace Bridge.Admin;

/// <summary>How a failed TalkNTalk call is told to an admin: an HTTP status with TalkNTalk's sentence for the failure.</summary>
internal static class WhatsAppProblems
{
    public static LinkRefusal Refusal(TalkNTalkException exception, string action)
    {
        var (title, detail) = TalkNTalkSentences.ForAdmin(exception, action);
        // An unknown session is the admin's input; every other failure is TalkNTalk's answer passed on.
        var status = exception.StatusCode == StatusCodes.Status404NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status502BadGateway;
        return new(status, title, detail, []);
    }

    public static LinkRefusal NotConfigured { get; } = new(StatusCodes.Status503ServiceUnavailable,
        "WhatsApp is not configured", "Set WhatsApp:ApiKey and WhatsApp:SessionId, then restart Bridge.", []);
}
