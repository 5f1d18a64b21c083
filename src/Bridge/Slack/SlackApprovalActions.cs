using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>
/// The preview's buttons (<c>block_actions</c> whose action_id starts with <see cref="Prefix"/>). Slack is answered at
/// once; the press is carried out after, and answered through the payload's response_url: the preview is redrawn
/// (<c>replace_original</c>) once decided, and what only the presser should read goes to them alone.
/// </summary>
internal sealed class SlackApprovalActions(
    ApprovalDesk desk, SlackApiClient slack, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<SlackApprovalActions> logger)
{
    public const string Prefix = "approval.";

    public async Task<IResult> HandleAsync(SlackInteraction interaction, SlackBlockAction pressed, CancellationToken cancellationToken)
    {
        var missing = new[]
        {
            string.IsNullOrEmpty(interaction.User?.Id) ? "user.id" : null,
            string.IsNullOrEmpty(pressed.Value) ? "actions[0].value" : null,
            string.IsNullOrEmpty(interaction.ResponseUrl) ? "response_url" : null,
        }.OfType<string>().ToList();
        if (missing.Count > 0)
        {
            return TypedResults.Problem($"The block_actions payload is missing {string.Join(", ", missing)}.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (InboundIds.FirstTooLong(("user.id", interaction.User!.Id), ("actions[0].value", pressed.Value)) is { } tooLong)
        {
            return TypedResults.Problem(InboundIds.TooLongReason(tooLong), statusCode: StatusCodes.Status400BadRequest);
        }

        await SlackBackgroundWork.RunWithinAckBudgetAsync(ct => PressAsync(interaction, pressed, ct), time, lifetime, logger, cancellationToken);
        return TypedResults.Ok();
    }

    private async Task PressAsync(SlackInteraction interaction, SlackBlockAction pressed, CancellationToken cancellationToken)
    {
        var responseUrl = interaction.ResponseUrl!;
        if (Enum.GetValues<ApprovalAction>().Where(a => SlackApprovalBlocks.ActionId(a) == pressed.ActionId).Cast<ApprovalAction?>().FirstOrDefault() is not { } action)
        {
            await slack.RespondAsync(responseUrl, Private("Bridge does not know this button."), cancellationToken);
            return;
        }

        var user = interaction.User!;
        var answer = await desk.PressAsync(pressed.Value!, action, user.Id!, user.Username ?? user.Name ?? user.Id!, cancellationToken);
        if (answer.Approval is { State: not ApprovalState.Waiting } approval)
        {
            var (text, blocks) = SlackApprovalBlocks.Message(approval);
            await slack.RespondAsync(responseUrl, new SlackResponseUrlMessage(text, ResponseType: null, ReplaceOriginal: true, Blocks: blocks), cancellationToken);
        }

        // An accepted send's outcome is replied in its thread, as every send's is; anything else is told to the presser.
        var sentence = answer.Private ?? (answer.Outcome is null or ForwardOutcome.Accepted ? null : answer.Outcome.Describe("/whatsapp"));
        if (sentence is not null)
        {
            await slack.RespondAsync(responseUrl, Private(sentence), cancellationToken);
        }
    }

    private static SlackResponseUrlMessage Private(string text) => new(SlackText.Escape(text), ReplaceOriginal: false);
}
