using Bridge.Storage;

namespace Bridge.Slack;

/// <summary>Tells one person privately from a channel: an ephemeral message there, else a direct message from the bot.</summary>
internal sealed class SlackPrivateReplies(SlackApiClient slack)
{
    /// <summary>
    /// Returns how the text reached the person, or null when Slack refused both ways (each refusal is added to
    /// <paramref name="refusals"/>). A Slack rate limit or an unanswered call is thrown as it is, to be retried.
    /// </summary>
    public async Task<ReplyRoute?> TellAsync(string channelId, string userId, string? threadTs, string text,
        List<SlackApiException> refusals, CancellationToken cancellationToken)
    {
        try
        {
            await slack.PostEphemeralAsync(channelId, userId, text, threadTs, cancellationToken);
            return ReplyRoute.Ephemeral;
        }
        catch (SlackApiException exception) when (!SlackErrors.IsRetryable(exception.Error))
        {
            refusals.Add(exception);
        }

        try
        {
            var directMessage = await slack.OpenDirectMessageAsync(userId, cancellationToken);
            await slack.PostMessageAsync(directMessage, text, null, cancellationToken);
            return ReplyRoute.DirectMessage;
        }
        catch (SlackApiException exception) when (!SlackErrors.IsRetryable(exception.Error))
        {
            refusals.Add(exception);
            return null;
        }
    }
}
