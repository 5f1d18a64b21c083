using System.Text.Json;
using Bridge.Forwarding;

namespace Bridge.Teams;

/// <summary>
/// The preview card's buttons: an <c>adaptiveCard/action</c> invoke whose verb starts with <see cref="Prefix"/>,
/// answered in the invoke response (<see cref="TeamsCardResponse"/>): the redrawn card once decided, or a message for
/// the presser alone.
/// </summary>
internal sealed class TeamsApprovalActions(ApprovalDesk desk)
{
    public const string Prefix = "approval.";

    public async Task<IResult> HandleAsync(TeamsActivity activity, TeamsCardAction action, CancellationToken cancellationToken)
    {
        var approvalId = action.Data is { ValueKind: JsonValueKind.Object } data
            && data.TryGetProperty("approvalId", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        var pressed = Enum.GetValues<ApprovalAction>().Where(a => TeamsApprovalCard.Verb(a) == action.Verb).Cast<ApprovalAction?>().FirstOrDefault();
        if (pressed is null || string.IsNullOrEmpty(approvalId) || approvalId.Length > InboundIds.MaxLength)
        {
            return TeamsCardResponse.Message("Bridge does not know this button.");
        }

        var userId = activity.From?.AadObjectId ?? activity.From?.Id ?? "";
        var answer = await desk.PressAsync(approvalId, pressed.Value, userId, activity.From?.Name ?? userId, cancellationToken);
        // One answer per press: a decided preview is redrawn (expired, or who sent it; the outcome follows in the thread
        // as every send's), a refusal is told to the presser alone and leaves the card as it is.
        return answer.Approval is { State: not ApprovalState.Waiting } decided
            ? TeamsCardResponse.Card(TeamsApprovalCard.Card(decided))
            : TeamsCardResponse.Message(answer.Private ?? ApprovalDesk.Unknown);
    }
}
