using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>
/// Shows a preview in Slack: to the sender alone through the command's or shortcut's response_url (a mention has
/// none: chat.postEphemeral in its thread), or, for approvers, visibly in the channel (chat.postMessage), whose ts is
/// kept so the preview can be redrawn when it expires. A press redraws it itself, through the press's response_url.
/// </summary>
internal sealed partial class SlackApprovalPresenter(SlackApiClient slack, IApprovalStore approvals, ILogger<SlackApprovalPresenter> logger) : IApprovalPresenter
{
    public Platform Platform => Platform.Slack;

    public async Task ShowAsync(PendingApproval approval, CancellationToken cancellationToken)
    {
        var forward = approval.Forward;
        var (text, blocks) = SlackApprovalBlocks.Message(approval);
        // In the thread of the message sent (a shortcut, a mention); a slash command has none.
        var threadTs = forward.Reply.ThreadId;
        if (approval.NeedsApprover)
        {
            var ts = await slack.PostMessageAsync(forward.ChannelId, text, threadTs, cancellationToken, blocks);
            try
            {
                await approvals.SetApprovalPreviewAsync(approval.Id, ts, CancellationToken.None);
                Log.PreviewPosted(logger, approval.Id, ts);
            }
            catch (Exception exception)
            {
                // Shown all the same, and its presses work: only its redraw at expiry is lost.
                Log.PreviewNotKept(logger, approval.Id, exception.GetType().Name, LogValue.Clean(exception.Message));
            }
        }
        else if (forward.Reply.ResponseUrl is { } responseUrl)
        {
            await slack.RespondAsync(responseUrl, new SlackResponseUrlMessage(text, Blocks: blocks), cancellationToken);
        }
        else
        {
            await slack.PostEphemeralAsync(forward.ChannelId, forward.UserId, text, threadTs, cancellationToken, blocks);
        }
    }

    /// <summary>
    /// A visible preview is edited in place (chat.update). A private one can't be: Slack edits an ephemeral message
    /// only through its response_url, for 30 minutes
    /// (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses), so its sender is told
    /// in a new private message instead.
    /// </summary>
    public async Task RedrawAsync(PendingApproval approval, CancellationToken cancellationToken)
    {
        var forward = approval.Forward;
        if (approval.PreviewId is { } ts)
        {
            var (text, blocks) = SlackApprovalBlocks.Message(approval);
            await slack.UpdateMessageAsync(forward.ChannelId, ts, text, blocks, cancellationToken);
        }
        else if (approval.NeedsApprover)
        {
            // A visible preview whose ts was not kept: telling its sender privately would leave the channel's buttons.
            Log.PreviewNotKept(logger, approval.Id, "NoTs", "the visible preview's ts was not kept, so it can't be redrawn");
        }
        else
        {
            await slack.PostEphemeralAsync(forward.ChannelId, forward.UserId,
                SlackText.Escape($"Your preview of a send to WhatsApp, \"{SlackText.Cut(forward.Text, 80)}\": {ApprovalText.Status(approval, "you")}"),
                forward.Reply.ThreadId, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1801, Level = LogLevel.Warning, Message = "The Slack preview of approval {ApprovalId} can't be redrawn: {Error} {Reason}")]
        public static partial void PreviewNotKept(ILogger logger, string approvalId, string error, string reason);

        [LoggerMessage(EventId = 1802, Level = LogLevel.Information, Message = "The Slack preview of approval {ApprovalId} was posted as message {Ts}")]
        public static partial void PreviewPosted(ILogger logger, string approvalId, string ts);
    }
}
