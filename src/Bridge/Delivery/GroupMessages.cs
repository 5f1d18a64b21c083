using Bridge.Forwarding;
using Bridge.Media;
using Bridge.WhatsApp;

namespace Bridge.Delivery;

/// <summary>The Send Group Message bodies Bridge sends: a text, or a file as WhatsApp media or as a link in a text.</summary>
internal static class GroupMessages
{
    public static GroupMessage Text(string groupId, string? text) => new(groupId, "text", text);

    /// <summary>The file with its caption; a link-kind file is a text: the caption, then the 📎 name and signed URL.</summary>
    public static GroupMessage File(string groupId, MediaKind kind, string? caption, PublishedFile file)
    {
        if (kind == MediaKind.Link)
        {
            var link = $"📎 {file.Name}: {file.Url}";
            return Text(groupId, string.IsNullOrEmpty(caption) ? link : caption + "\n\n" + link);
        }

        return new GroupMessage(groupId, WireType(kind), caption, file.Url, file.ContentType);
    }

    /// <summary>The Send Group Message <c>type</c> of each media kind.</summary>
    private static string WireType(MediaKind kind) => kind switch
    {
        MediaKind.Image => "image",
        MediaKind.Video => "video",
        MediaKind.Voice => "voice",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A link is sent as a text."),
    };
}
