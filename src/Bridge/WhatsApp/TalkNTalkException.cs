namespace Bridge.WhatsApp;

/// <summary>A failed TalkNTalk call, with the provider's status and <c>detail</c> when it answered.</summary>
internal sealed class TalkNTalkException(TalkNTalkFailure failure, int? statusCode, string? detail, TimeSpan? retryAfter, Exception? inner = null)
    : Exception(Describe(failure, statusCode, detail), inner)
{
    public TalkNTalkFailure Failure { get; } = failure;
    public int? StatusCode { get; } = statusCode;
    public string? Detail { get; } = detail;
    public TimeSpan? RetryAfter { get; } = retryAfter;

    private static string Describe(TalkNTalkFailure failure, int? statusCode, string? detail) =>
        statusCode is { } code
            ? $"TalkNTalk answered {code}{(string.IsNullOrEmpty(detail) ? "" : ": " + detail)}"
            : $"TalkNTalk call failed ({failure}){(string.IsNullOrEmpty(detail) ? "" : ": " + detail)}";
}
