using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>Tells one person privately from a channel: an ephemeral message there, else a direct message from the bot.</summary>
internal sealed class SlackPrivateReplies(SlackApiClient slack, SlackRefusals refusals)
{
    /// <summary>
    /// Returns how the text reached the person, or null when Slack refused both ways. Each refusal is recorded for
    /// <paramref name="subject"/> and added to <paramref name="errors"/> as <c>method: error</c>. A Slack rate limit or
    /// an unanswered call is thrown as it is, to be retried.
    /// </summary>
    public async Task<ReplyRoute?> TellAsync(string subject, string channelId, string userId, string? threadTs, string text,
        List<string> errors, CancellationToken cancellationToken)
    {
        try
        {
            await slack.PostEphemeralAsync(channelId, userId, text, threadTs, cancellationToken);
            return ReplyRoute.Ephemeral;
        }
        catch (SlackApiException exception) when (!SlackErrors.IsRetryable(exception.Error))
        {
            await RefusedAsync(subject, exception, errors, cancellationToken);
        }

        try
        {
            var directMessage = await slack.OpenDirectMessageAsync(userId, cancellationToken);
            await slack.PostMessageAsync(directMessage, text, null, cancellationToken);
            return ReplyRoute.DirectMessage;
        }
        catch (SlackApiException exception) when (!SlackErrors.IsRetryable(exception.Error))
        {
            await RefusedAsync(subject, exception, errors, cancellationToken);
            return null;
        }
    }

    private async Task RefusedAsync(string subject, SlackApiException exception, List<string> errors, CancellationToken cancellationToken)
    {
        await refusals.RecordAsync(subject, exception, cancellationToken);
        errors.Add($"{exception.Method}: {SlackErrors.Describe(exception)}");
    }
}
