using Bridge.Media;
using Bridge.Storage;

namespace Bridge.Slack;

/// <summary>Adds a Slack message's files to a forward, each as the attachment WhatsApp can take or as a note saying why not.</summary>
internal sealed class SlackAttachments(MediaPolicy media, SlackMediaDownloader downloader)
{
    public void Add(Forward forward, IReadOnlyList<SlackFile>? files)
    {
        foreach (var file in files ?? [])
        {
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
