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

            media.Add(forward, name, IsAudioClip(file) ? AudioType(file.Mimetype) : file.Mimetype, file.Size, source);
        }
    }

    /// <summary>
    /// A clip recorded in Slack's audio mode: an MP4 or WebM file, sometimes typed as video, marked by its subtype and
    /// display type (https://docs.slack.dev/reference/objects/file-object). It goes as audio, so it becomes a voice note.
    /// </summary>
    private static bool IsAudioClip(SlackFile file) => file.Subtype == "slack_audio" || file.MediaDisplayType == "audio";

    /// <summary>The clip's container as an audio type: <c>video/webm</c> becomes <c>audio/webm</c>; no type, <c>audio/mp4</c>.</summary>
    private static string AudioType(string? mimeType) =>
        ContentTypes.Clean(mimeType) is var type && (type.StartsWith("audio/", StringComparison.Ordinal) || type.StartsWith("video/", StringComparison.Ordinal))
            ? "audio/" + type["audio/".Length..]
            : "audio/mp4";

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
