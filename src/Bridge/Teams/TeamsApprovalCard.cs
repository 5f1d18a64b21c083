using System.Text.Json.Nodes;
using Bridge.Forwarding;

namespace Bridge.Teams;

/// <summary>
/// The preview as an Adaptive Card, plain JSON (https://adaptivecards.io/explorer/). Every text that is not Bridge's own
/// goes in a RichTextBlock's TextRun, which Teams shows as written (a TextBlock would read it as markdown): the text
/// is already WhatsApp's formatting. The buttons are Universal Actions (<c>Action.Execute</c>), whose press arrives as
/// an <c>adaptiveCard/action</c> invoke and is answered with the redrawn card
/// (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards).
/// </summary>
internal static class TeamsApprovalCard
{
    public static JsonObject Card(PendingApproval approval)
    {
        var forward = approval.Forward;
        var body = new JsonArray(Run($"{ApprovalText.Title} from {forward.UserName}", bold: true));
        if (forward.Text.Trim().Length > 0)
        {
            body.Add(Run(forward.Text, monospace: true));
        }

        if (forward.Attachments.Count > 0)
        {
            body.Add(Run("Files", bold: true));
            foreach (var file in forward.Attachments)
            {
                body.Add(Run("• " + ApprovalText.File(file)));
            }
        }

        body.Add(Run("Groups", bold: true));
        foreach (var group in approval.Groups)
        {
            body.Add(Run("• " + ApprovalText.Group(group)));
        }

        body.Add(Run("Total: " + ApprovalText.Total(approval), bold: true));
        body.Add(Run(ApprovalText.Status(approval, approval.DecidedByName ?? ""), subtle: true));
        return TeamsCards.Card(body, approval.State is not (ApprovalState.Waiting or ApprovalState.Approved) ? null
            : approval.NeedsApprover ? [Button("Approve", ApprovalAction.Approve, approval.Id), Button("Withdraw", ApprovalAction.Withdraw, approval.Id)]
            : [Button("Send", ApprovalAction.Send, approval.Id), Button("Cancel", ApprovalAction.Cancel, approval.Id)]);
    }

    /// <summary>The verb of a button: <see cref="TeamsApprovalActions.Prefix"/> and the action's name.</summary>
    public static string Verb(ApprovalAction action) => TeamsApprovalActions.Prefix + action.ToString().ToLowerInvariant();

    private static JsonObject Run(string text, bool bold = false, bool monospace = false, bool subtle = false)
    {
        var run = new JsonObject { ["type"] = "TextRun", ["text"] = text };
        if (bold)
        {
            run["weight"] = "Bolder";
        }

        if (monospace)
        {
            run["fontType"] = "Monospace";
        }

        if (subtle)
        {
            run["isSubtle"] = true;
        }

        return new JsonObject { ["type"] = "RichTextBlock", ["inlines"] = new JsonArray(run) };
    }

    private static JsonObject Button(string title, ApprovalAction action, string approvalId) =>
        TeamsCards.Execute(title, Verb(action), new JsonObject { ["approvalId"] = approvalId });
}
