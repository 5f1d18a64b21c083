using System.Globalization;
using Bridge.Forwarding;
using CsvHelper;

namespace Bridge.Admin;

/// <summary>
/// The delivery history as CSV for audits (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180), written row by row to the
/// response as it is read. A cell that a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a
/// leading ' (https://owasp.org/www-community/attacks/CSV_Injection): the text comes from chat users.
/// </summary>
internal static class DeliveryCsv
{
    public const string FileName = "deliveries.csv";

    private static readonly string[] Header =
    [
        "id", "created_at", "platform", "workspace_id", "channel_id", "user_id", "user_name", "text", "attachments",
        "session_id", "group_id", "group_name", "status", "message_ids", "attempts", "error", "reply", "reply_error",
        "updated_at", "retry_of", "retried_by", "retried_as",
    ];

    public static async Task WriteAsync(Stream destination, IAsyncEnumerable<(DeliveryView View, Forward? Forward)> rows, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(destination, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        await csv.WriteRecordAsync(Header, cancellationToken);
        await foreach (var (d, forward) in rows.WithCancellation(cancellationToken))
        {
            await csv.WriteRecordAsync(
            [
                Number(d.Id), Time(d.CreatedAt), d.Platform, d.WorkspaceId, d.ChannelId, d.UserId, d.UserName, forward?.Text,
                Number(d.AttachmentCount), d.SessionId, d.GroupId, d.GroupName, d.Status, string.Join(" ", d.MessageIds),
                Number(d.Attempts.Count), d.Error, d.Reply, d.ReplyError, Time(d.UpdatedAt), Number(d.RetryOf), d.RetriedBy, Number(d.RetriedAs),
            ], cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
