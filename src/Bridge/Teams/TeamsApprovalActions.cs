using System.Text.Json;
using Bridge.Forwarding;

namespace Bridge.Teams;

/// <summary>
/// The preview card's buttons, whose verb starts with <see cref="Prefix"/>, answered (<see cref="TeamsCardAnswer"/>)
/// with the redrawn card once decided, or a message for the presser alone.
/// </summary>
internal sealed class TeamsApprovalActions(ApprovalDesk desk)
{
    public const string Prefix = "approval.";

    public async Task<TeamsCardAnswer> HandleAsync(TeamsActivity activity, TeamsCardAction action, CancellationToken cancellationToken)
    {
        var approvalId = action.Data is { ValueKind: JsonValueKind.Object } data
            && data.TryGetProperty("approvalId", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        var pressed = Enum.GetValues<ApprovalAction>().Where(a => TeamsApprovalCard.Verb(a) == action.Verb).Cast<ApprovalAction?>().FirstOrDefault();
        if (pressed is null || string.IsNullOrEmpty(approvalId) || approvalId.Length > InboundIds.MaxLength)
        {
            return TeamsCardAnswer.Tell("Bridge does not know this button.");
        }

        var userId = activity.From?.AadObjectId ?? activity.From?.Id ?? "";
        var answer = await desk.PressAsync(approvalId, pressed.Value, userId, activity.From?.Name ?? userId, cancellationToken);
        // One answer per press: a decided preview is redrawn for everyone (expired, or who sent it; the outcome follows
        // in the thread as every send's), a refusal is told to the presser alone and leaves the card as it is.
        if (answer.Approval is { State: ApprovalState.Approved } unfinished)
        {
            // Approved but not yet recorded: the presser is asked to press again. A moment's state, so it never
            // replaces the card for everyone (a press that read it late would put buttons back on a sent card).
            return TeamsCardAnswer.Ask(ApprovalText.Title, TeamsApprovalCard.Card(unfinished));
        }

        if (answer.Approval is { State: not ApprovalState.Waiting } decided)
        {
            return TeamsCardAnswer.Redraw(ApprovalText.Title, TeamsApprovalCard.Card(decided));
        }

        return TeamsCardAnswer.Tell(answer.Private ?? ApprovalDesk.Unknown);
    }
}
