using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Forwarding;

namespace Bridge.Teams;

/// <summary>
/// The preview card's buttons: an <c>adaptiveCard/action</c> invoke whose verb starts with <see cref="Prefix"/>. It is
/// answered in the invoke response, an AdaptiveCardInvokeResponse
/// (https://learn.microsoft.com/dotnet/api/microsoft.bot.schema.adaptivecardinvokeresponse): the redrawn card once
/// decided, or a message for the presser alone.
/// </summary>
internal sealed class TeamsApprovalActions(ApprovalDesk desk)
{
    public const string InvokeName = "adaptiveCard/action";
    public const string Prefix = "approval.";

    public static bool Handles(TeamsActivity activity) =>
        activity.Name == InvokeName && Verb(activity)?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    public async Task<IResult> HandleAsync(TeamsActivity activity, CancellationToken cancellationToken)
    {
        var verb = Verb(activity)!;
        var approvalId = activity.Value?.TryGetProperty("action", out var action) == true && action.TryGetProperty("data", out var data)
            && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("approvalId", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        var pressed = Enum.GetValues<ApprovalAction>().Where(a => TeamsApprovalCard.Verb(a) == verb).Cast<ApprovalAction?>().FirstOrDefault();
        if (pressed is null || string.IsNullOrEmpty(approvalId) || approvalId.Length > InboundIds.MaxLength)
        {
            return Message("Bridge does not know this button.");
        }

        var userId = activity.From?.AadObjectId ?? activity.From?.Id ?? "";
        var answer = await desk.PressAsync(approvalId, pressed.Value, userId, activity.From?.Name ?? userId, cancellationToken);
        // One answer per press: a decided preview is redrawn (expired, or who sent it; the outcome follows in the thread
        // as every send's), a refusal is told to the presser alone and leaves the card as it is.
        return answer.Approval is { State: not ApprovalState.Waiting } decided ? Card(decided) : Message(answer.Private ?? ApprovalDesk.Unknown);
    }

    private static string? Verb(TeamsActivity activity) =>
        activity.Value is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("action", out var action)
            && action.ValueKind == JsonValueKind.Object && action.TryGetProperty("verb", out var verb) && verb.ValueKind == JsonValueKind.String
                ? verb.GetString()
                : null;

    private static IResult Card(PendingApproval approval) => Answer(TeamsCardAttachment.AdaptiveCard, TeamsApprovalCard.Card(approval));

    private static IResult Message(string text) => Answer("application/vnd.microsoft.activity.message", text);

    private static IResult Answer(string type, JsonNode value) =>
        TypedResults.Text(new JsonObject { ["statusCode"] = 200, ["type"] = type, ["value"] = value }.ToJsonString(), "application/json");
}
