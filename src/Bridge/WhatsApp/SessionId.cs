using System.Text.RegularExpressions;

namespace Bridge.WhatsApp;

/// <summary>
/// The form of a TalkNTalk session id (a phone's chat_id, a GUID in TalkNTalk's documentation). It is a segment of the
/// path the API key is sent to, so nothing else is taken: <c>..</c> or a <c>/</c> would move the request elsewhere.
/// </summary>
internal static partial class SessionId
{
    public const string Form = "letters, digits, '-' and '_' only (a GUID is one), at most 100 characters";

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex(@"\A[A-Za-z0-9_-]{1,100}\z")]
    private static partial Regex Pattern();
}
