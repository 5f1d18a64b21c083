using Bridge.Forwarding;

namespace Bridge.Storage;

/// <summary>
/// Forwards stored by earlier versions, read in today's shape. Mapped on every read and written back in the new shape
/// by the next update, so the rest of Bridge knows one meaning per field.
/// </summary>
internal static class OldForwardRows
{
    /// <summary>The thread ids that once meant "no visible record: reply privately", now <see cref="ReplyTarget.RepliesPrivately"/>.</summary>
    private static readonly string[] PrivateThreadIds = ["response_url", "private"];

    public static Forward? Read(Forward? forward)
    {
        if (forward is null)
        {
            return null;
        }

        // A Teams pasted image, whose type is known only once fetched, was once typed "image/*"; today that is the empty type.
        foreach (var attachment in forward.Attachments.Where(a => a.MimeType == "image/*"))
        {
            attachment.MimeType = "";
        }

        if (forward is not { Platform: Platform.Slack, Reply: var reply })
        {
            return forward;
        }

        // Slack rows stored before ReplyTarget.ResponseUrl existed hold the command's response_url in ServiceUrl, a Teams field.
        if (reply.ServiceUrl is not null)
        {
            reply.ResponseUrl ??= reply.ServiceUrl;
            reply.ServiceUrl = null;
        }

        if (reply.ThreadId is not null && PrivateThreadIds.Contains(reply.ThreadId, StringComparer.Ordinal))
        {
            reply.ThreadId = null;
            reply.RepliesPrivately = true;
        }

        return forward;
    }
}
