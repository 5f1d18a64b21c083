using System.Text.Json.Nodes;
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
        var message = SlackApprovalBlocks.Message(approval);
        if (approval.NeedsApprover)
        {
            message["channel"] = forward.ChannelId;
            InThread(message, forward);
            await slack.PostMessageAsync(message, cancellationToken);
        }
        else if (forward.Reply.ResponseUrl is { } responseUrl)
        {
            message["response_type"] = "ephemeral";
            await slack.RespondAsync(responseUrl, message, cancellationToken);
        }
        else
        {
            (message["channel"], message["user"]) = (forward.ChannelId, forward.UserId);
            InThread(message, forward);
            await slack.PostEphemeralAsync(message, cancellationToken);
        }
    }

    /// <summary>In the thread of the message sent (a shortcut, a mention); a slash command has none.</summary>
    private static void InThread(JsonObject message, Forward forward)
    {
        if (forward.Reply.ThreadId is { } threadTs)
        {
            message["thread_ts"] = threadTs;
        }
    }
}
