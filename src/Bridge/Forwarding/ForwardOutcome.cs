namespace Bridge.Forwarding;

/// <summary>What happened to a request to forward content, and the sentence that tells the person who asked.</summary>
internal abstract record ForwardOutcome
{
    public const string NotConfiguredSentence =
        "WhatsApp is not configured on this Bridge. An admin must set WhatsApp:ApiKey and WhatsApp:SessionId.";

    private ForwardOutcome()
    {
    }

    /// <param name="Skipped">The channel's paused links, to which nothing is sent.</param>
    public sealed record Accepted(string ForwardId, IReadOnlyList<ChannelLink> Groups, IReadOnlyList<ChannelLink> Skipped) : ForwardOutcome;

    /// <summary>The same request was accepted before; <see cref="Jobs"/> tell how far it got.</summary>
    public sealed record Duplicate(string ForwardId, IReadOnlyList<DeliveryJob> Jobs) : ForwardOutcome;

    public sealed record NotLinked : ForwardOutcome;

    /// <summary>Every link of the channel is paused: nothing is sent.</summary>
    public sealed record Paused(IReadOnlyList<ChannelLink> Links) : ForwardOutcome;

    public sealed record WhatsAppNotConfigured : ForwardOutcome;

    /// <summary>Held for its preview to be confirmed (<see cref="ApprovalGate"/>): nothing is sent before.</summary>
    public sealed record AwaitingApproval(PendingApproval Approval) : ForwardOutcome;

    /// <summary>The send needed approval and its preview could not be shown: nothing will be sent.</summary>
    public sealed record PreviewFailed(string Reason) : ForwardOutcome;

    /// <summary>The store could not record the forward (<see cref="StoreUnavailableException"/>): nothing will be sent.</summary>
    public sealed record NotRecorded(string Reason) : ForwardOutcome;

    /// <param name="usage">How commands are typed on the platform, e.g. <c>/whatsapp</c> or <c>@Bridge</c>.</param>
    /// <param name="repliesInThread">False where the result is posted in the chat itself (Teams group and personal chats have no threads).</param>
    public string Describe(string usage, bool repliesInThread = true) => this switch
    {
        Accepted accepted =>
            $"Sending to WhatsApp group{(accepted.Groups.Count == 1 ? "" : "s")} {GroupNames(accepted.Groups)}. The result will be posted {(repliesInThread ? "in the thread" : "here")}."
            + (accepted.Skipped.Count == 0 ? "" : $" Not sent to {GroupNames(accepted.Skipped)}: {PausedSentence(accepted.Skipped)}"),
        Duplicate duplicate =>
            "This message was already sent to WhatsApp.\n" + string.Join("\n", duplicate.Jobs.Select(OutcomeText.Line)),
        NotLinked => NotLinkedSentence(usage),
        Paused paused => $"Nothing was sent: {PausedSentence(paused.Links)}",
        NotRecorded notRecorded => NotRecordedSentence(notRecorded.Reason),
        AwaitingApproval { Approval.NeedsApprover: true } =>
            "This send waits for an approver: its preview is posted here with Approve and Withdraw. Nothing is sent before it is approved.",
        AwaitingApproval => "This send waits for you: check its preview and press Send or Cancel. Nothing is sent before.",
        PreviewFailed failed => PreviewFailedSentence(failed.Reason),
        _ => NotConfiguredSentence,
    };

    private static string GroupNames(IReadOnlyList<ChannelLink> links) => string.Join(", ", links.Select(l => l.GroupName));

    private static string PausedSentence(IReadOnlyList<ChannelLink> links) =>
        $"the link{(links.Count == 1 ? "" : "s")} to WhatsApp group{(links.Count == 1 ? "" : "s")} {GroupNames(links)} {(links.Count == 1 ? "is" : "are")} paused. "
        + $"Ask a Bridge admin to resume {(links.Count == 1 ? "it" : "them")} on the Bridge admin page (Links).";

    public static string NotRecordedSentence(string reason) =>
        $"Bridge can't record messages right now ({reason}); nothing was sent or changed. Try again in a few minutes, or tell a Bridge admin.";

    public static string PreviewFailedSentence(string reason) =>
        $"This send needs approval, but Bridge could not show its preview ({reason.TrimEnd('.')}); nothing was sent. Try again, or tell a Bridge admin.";

    public static string NotLinkedSentence(string usage) =>
        $"This channel is not linked to a WhatsApp group yet. A Bridge admin can link it with `{usage} link <group name or chat_id>` (see `{usage} groups` for the names).";
}
