using Bridge.Forwarding;

namespace Bridge.Admin;

/// <summary>One delivery job with who asked and what, for the history.</summary>
internal sealed record DeliveryView(
    long Id,
    string ForwardId,
    string Platform,
    string WorkspaceId,
    string ChannelId,
    string UserId,
    string? UserName,
    string? TextPreview,
    int AttachmentCount,
    string SessionId,
    string GroupId,
    string GroupName,
    string Status,
    IReadOnlyList<string> MessageIds,
    IReadOnlyList<AttemptView> Attempts,
    string? Error,
    string Reply,
    string? ReplyError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long? RetryOf,
    string? RetriedBy,
    long? RetriedAs,
    string? ChannelName,
    bool CanRetry)
{
    private const int PreviewLength = 120;

    /// <param name="channelName">The channel's name where one is known (<see cref="ChannelNames"/>), else null.</param>
    /// <remarks><c>CanRetry</c>: whether an admin may retry it now, as <see cref="DeliveryRetry"/> checks: it ended failed or possibly delivered and was not retried yet.</remarks>
    internal static DeliveryView From(DeliveryJob job, Forward? forward, long? retriedAs, string? channelName) => new(
        job.Id, job.ForwardId, job.Platform.ToString(), job.WorkspaceId, job.ChannelId, job.UserId,
        forward?.UserName, forward is null ? null : Preview(forward.Text), forward?.Attachments.Count ?? 0,
        job.SessionId, job.GroupId, job.GroupName, job.Status.ToString(), job.MessageIds, [.. job.Attempts.Select(AttemptView.From)], job.Error,
        ReplyOf(forward), forward?.ReplyError, job.CreatedAt, job.UpdatedAt, job.RetryOf, job.RetriedBy, retriedAs, channelName,
        CanRetry: job.IsRetryable && retriedAs is null);

    /// <summary>
    /// Whether the outcome reached the person who asked: <c>thread</c>, <c>chat</c>, <c>response_url</c>,
    /// <c>ephemeral</c> or <c>dm</c> once replied (<c>replied</c> for rows older than the route), else <c>pending</c> or <c>failed</c>.
    /// </summary>
    private static string ReplyOf(Forward? forward) => forward switch
    {
        null => "unknown",
        { ReplyState: ReplyState.Replied } => forward.ReplyRoute switch
        {
            ReplyRoute.Thread => "thread",
            ReplyRoute.ResponseUrl => "response_url",
            ReplyRoute.Ephemeral => "ephemeral",
            ReplyRoute.DirectMessage => "dm",
            ReplyRoute.Chat => "chat",
            _ => "replied",
        },
        { ReplyState: ReplyState.Failed } => "failed",
        _ => "pending",
    };

    /// <summary>The text on one line, cut to a preview's length.</summary>
    internal static string Preview(string text)
    {
        var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length > PreviewLength ? oneLine[..PreviewLength] + "…" : oneLine;
    }
}
