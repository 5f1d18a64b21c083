using Bridge.Forwarding;
using Bridge.Media;

namespace Bridge.Slack;

/// <summary>Adds a Slack message's files to a forward, each as the attachment WhatsApp can take or as a note saying why not.</summary>
internal sealed class SlackAttachments(MediaPolicy media, SlackMediaDownloader downloader, SlackApiClient slack, SlackRefusals refusals)
{
    /// <summary>Slack Connect files are only an id until files.info is asked (https://docs.slack.dev/reference/events/message/file_share).</summary>
    private const string CheckFileInfo = "check_file_info";

    public async Task AddAsync(Forward forward, IReadOnlyList<SlackFile>? files, CancellationToken cancellationToken)
    {
        foreach (var listed in files ?? [])
        {
            var file = listed;
            if (file.FileAccess == CheckFileInfo && !string.IsNullOrEmpty(file.Id))
            {
                try
                {
                    file = await slack.GetFileAsync(file.Id, cancellationToken);
                    await refusals.WorkedAsync("files.info", cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // Any failure (a refusal, a timeout, a 5xx) costs this file only: the text and other files still go.
                    string error;
                    if (exception is SlackApiException api)
                    {
                        await refusals.RecordAsync(forward.Id, api, cancellationToken);
                        error = $"files.info answered {SlackErrors.Describe(api)}";
                    }
                    else
                    {
                        error = exception is ReplyException or HttpRequestException ? exception.Message : "Slack did not answer files.info in time";
                    }

                    forward.Notes.Add($"{file.Id} was not sent: it is a Slack Connect file and Slack did not describe it ({error}).");
                    continue;
                }
            }

            var name = FirstNonEmpty(file.Name, file.Title, file.Id) ?? "file";
            if (file.Mode == "tombstone")
            {
                forward.Notes.Add($"{name} was not sent: it was deleted from Slack.");
                continue;
            }

            var source = FirstNonEmpty(file.UrlPrivateDownload, file.UrlPrivate);
            if (source is null)
            {
                forward.Notes.Add($"{name} was not sent: Slack did not give Bridge its download address.");
                continue;
            }

            if (!Uri.TryCreate(source, UriKind.Absolute, out var url) || !downloader.IsSlackFileUrl(url))
            {
                forward.Notes.Add(SlackMediaDownloader.NotOnSlack(name));
                continue;
            }

            media.Add(forward, name, file.Mimetype, file.Size, source);
        }
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
