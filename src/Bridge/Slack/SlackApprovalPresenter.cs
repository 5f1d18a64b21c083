using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>
/// Shows a preview in Slack: to the sender alone through the command's or shortcut's response_url (a mention has
/// none: chat.postEphemeral in its thread), or, for approvers, visibly in the channel (chat.postMessage).
/// </summary>
internal sealed class SlackApprovalPresenter(SlackApiClient slack) : IApprovalPresenter
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
            await slack.PostMessageAsync(forward.ChannelId, text, threadTs, cancellationToken, blocks);
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
}
