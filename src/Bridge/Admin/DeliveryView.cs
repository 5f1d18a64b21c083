using Bridge.Storage;

namespace Bridge.Admin;

/// <summary>One delivery job with who asked and what, for the history.</summary>
public sealed record DeliveryView(
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
    IReadOnlyList<DeliveryAttempt> Attempts,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    private const int PreviewLength = 120;

    internal static DeliveryView From(DeliveryJob job, Forward? forward) => new(
        job.Id, job.ForwardId, job.Platform.ToString(), job.WorkspaceId, job.ChannelId, job.UserId,
        forward?.UserName, forward is null ? null : Preview(forward.Text), forward?.Attachments.Count ?? 0,
        job.SessionId, job.GroupId, job.GroupName, job.Status.ToString(), job.MessageIds, job.Attempts, job.Error,
        job.CreatedAt, job.UpdatedAt);

    private static string Preview(string text)
    {
        var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length > PreviewLength ? oneLine[..PreviewLength] + "…" : oneLine;
    }
}
