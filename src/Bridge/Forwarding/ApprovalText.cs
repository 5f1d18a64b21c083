using System.Globalization;

namespace Bridge.Forwarding;

/// <summary>The preview's sentences, the same on both platforms; each adapter lays them out (Block Kit, Adaptive Card).</summary>
internal static class ApprovalText
{
    public const string Title = "Preview of a send to WhatsApp";

    public static string Group(ApprovalGroup group) =>
        group.MemberCount is { } count
            ? $"{group.Link.GroupName}: {count} member{(count == 1 ? "" : "s")}"
            : $"{group.Link.GroupName}: size unknown (WhatsApp's List Groups did not answer)";

    public static string Total(PendingApproval approval) =>
        approval.AllCountsKnown
            ? $"{approval.KnownPeople} people"
            : $"at least {approval.KnownPeople} people";

    public static string File(Attachment file) =>
        $"{file.Name} ({(file.MimeType.Length > 0 ? file.MimeType : file.Kind.ToString().ToLowerInvariant())}{(file.Size is { } size ? ", " + Size(size) : "")})";

    /// <param name="decider">How the platform names the person who decided (a Slack mention, a Teams name).</param>
    public static string Status(PendingApproval approval, string decider) => (approval.ScheduledFor is { } when ? $"⏰ To be sent at {when}. " : "") + approval.State switch
    {
        ApprovalState.Waiting when approval.NeedsApprover =>
            $"Waiting for an approver until {Time(approval.ExpiresAt)}. An approver other than the sender can approve; the sender can withdraw. Nothing is sent before.",
        ApprovalState.Waiting => $"Nothing is sent until you press Send (until {Time(approval.ExpiresAt)}).",
        // Approved, but the accept did not record (the store was lost for a moment): the buttons stay, and a press finishes it.
        ApprovalState.Approved => $"Approved by {decider} at {Time(approval.DecidedAt)}, but Bridge could not record the send yet. Press again to finish it.",
        ApprovalState.Accepted when approval.ScheduledFor is not null => $"✅ Approved by {decider} at {Time(approval.DecidedAt)}: scheduled.",
        ApprovalState.Accepted when approval.NeedsApprover => $"✅ Approved by {decider} at {Time(approval.DecidedAt)}: sent to WhatsApp.",
        ApprovalState.Accepted => $"✅ Sent by {decider} at {Time(approval.DecidedAt)}.",
        ApprovalState.Cancelled => $"Cancelled by {decider} at {Time(approval.DecidedAt)}: nothing was sent.",
        ApprovalState.Withdrawn => $"Withdrawn by {decider} at {Time(approval.DecidedAt)}: nothing was sent.",
        _ => $"⌛ Expired at {Time(approval.ExpiresAt)}: nothing was sent.",
    };

    public static string Time(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "";

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };
}
