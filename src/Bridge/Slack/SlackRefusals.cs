using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>
/// Records Slack's refusals of Bridge's calls: each is logged, and a token or scope error is kept for the setup card,
/// which auth.test alone cannot show (it passes with a token that lacks a scope).
/// </summary>
internal sealed partial class SlackRefusals(ISettingStore store, ILogger<SlackRefusals> logger)
{
    /// <summary>The store setting holding the last token or scope error, shown on the setup card.</summary>
    public const string ProblemSetting = "slack:reply-problem";

    /// <param name="subject">What the call was for (a forward id, a channel), already safe to log.</param>
    public async Task RecordAsync(string subject, SlackApiException exception, CancellationToken cancellationToken)
    {
        Log.Refused(logger, subject, exception.Method, LogValue.Clean(SlackErrors.Describe(exception)));
        if (SlackErrors.IsTokenOrScope(exception.Error))
        {
            await store.SetSettingAsync(ProblemSetting, $"{exception.Method}: {SlackErrors.Describe(exception)}", cancellationToken);
        }
    }

    /// <summary>
    /// A call of <paramref name="method"/> worked: the token is fine again, and so is that method's scope. A missing
    /// scope of another method (files.info's files:read) stays until that method works.
    /// </summary>
    public async Task WorkedAsync(string method, CancellationToken cancellationToken)
    {
        if (await store.GetSettingAsync(ProblemSetting, cancellationToken) is { Length: > 0 } problem
            && (problem.StartsWith(method + ":", StringComparison.Ordinal) || !problem.Contains("missing_scope", StringComparison.Ordinal)))
        {
            await store.SetSettingAsync(ProblemSetting, "", cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Slack refused {Method} for {Subject}: {Error}")]
        public static partial void Refused(ILogger logger, string subject, string method, string error);
    }
}
