using System.Text.Json.Nodes;
using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>
/// The preview as a Block Kit message (https://docs.slack.dev/reference/block-kit/blocks). The text goes in a
/// preformatted rich_text element, which Slack shows as written rather than reading it as mrkdwn: it is already
/// WhatsApp's formatting. The buttons carry the approval's id; they go once it is decided.
/// </summary>
internal static class SlackApprovalBlocks
{
    public static (string Text, JsonArray Blocks) Message(PendingApproval approval)
    {
        var forward = approval.Forward;
        var blocks = new JsonArray(SlackBlocks.Section($"*{ApprovalText.Title}* from <@{forward.UserId}>"));
        if (forward.Text.Trim().Length > 0)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "rich_text",
                ["elements"] = new JsonArray(new JsonObject
                {
                    ["type"] = "rich_text_preformatted",
                    ["elements"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = SlackText.Cut(forward.Text, SlackBlocks.SectionLimit) }),
                }),
            });
        }

        if (forward.Attachments.Count > 0)
        {
            blocks.Add(SlackBlocks.Section("*Files*\n" + Lines(forward.Attachments.Select(ApprovalText.File))));
        }

        blocks.Add(SlackBlocks.Section("*Groups*\n" + Lines(approval.Groups.Select(ApprovalText.Group)) + $"\n*Total:* {ApprovalText.Total(approval)}"));
        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = ApprovalText.Status(approval, Decider(approval)) }),
        });
        if (approval.State is ApprovalState.Waiting or ApprovalState.Approved)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["block_id"] = "approval",
                ["elements"] = approval.NeedsApprover
                    ? new JsonArray(SlackBlocks.Button("Approve", ActionId(ApprovalAction.Approve), approval.Id, "primary"), SlackBlocks.Button("Withdraw", ActionId(ApprovalAction.Withdraw), approval.Id, "danger"))
                    : new JsonArray(SlackBlocks.Button("Send", ActionId(ApprovalAction.Send), approval.Id, "primary"), SlackBlocks.Button("Cancel", ActionId(ApprovalAction.Cancel), approval.Id)),
            });
        }

        // The text is the notification's, and what clients without blocks show.
        return ($"{ApprovalText.Title}: {ApprovalText.Total(approval)}. {ApprovalText.Status(approval, Decider(approval))}", blocks);
    }

    /// <summary>The action_id of a button: <see cref="SlackApprovalActions.Prefix"/> and the action's name.</summary>
    public static string ActionId(ApprovalAction action) => SlackApprovalActions.Prefix + action.ToString().ToLowerInvariant();

    /// <summary>A person as a mention; Bridge itself (a preview it closed) by name.</summary>
    private static string Decider(PendingApproval approval) =>
        string.IsNullOrEmpty(approval.DecidedBy) ? approval.DecidedByName ?? "Bridge" : $"<@{approval.DecidedBy}>";

    private static string Lines(IEnumerable<string> lines) => string.Join("\n", lines.Select(line => "• " + SlackText.Escape(line)));
}
