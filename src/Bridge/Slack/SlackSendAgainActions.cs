using System.Text.Json.Nodes;
using Bridge.Commands;
using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>
/// The Send again button under a failed or possibly delivered outcome in a Slack thread, and its presses
/// (<c>block_actions</c> at /slack/interactivity). A press is answered at once and handled after, within the ack
/// budget when it can (https://docs.slack.dev/interactivity/handling-user-interaction#acknowledgment_response); what
/// only the presser should read goes to the payload's response_url, as an ephemeral message.
/// </summary>
internal sealed partial class SlackSendAgainActions(
    SendAgain sendAgain,
    AdminCheck admins,
    SlackApiClient slack,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<SlackSendAgainActions> logger)
{
    public const string Prefix = "send-again.";
    private const string Press = Prefix + "press";
    /// <summary>The "Send anyway" of the confirmation; its value is the pressed outcome's ts, '|', and the button's value.</summary>
    private const string Confirm = Prefix + "confirm";
    /// <summary>
    /// A button's value may hold 2,000 characters (https://docs.slack.dev/reference/block-kit/block-elements/button-element);
    /// the confirmation's value adds the outcome's ts to it.
    /// </summary>
    private const int ValueLimit = 1900;

    /// <summary>
    /// The outcome's (escaped) text as sections and, when it offers any job, the Send again button under it. An outcome
    /// offering so many groups that their ids do not fit a button has none: the admin page sends those again.
    /// </summary>
    public static JsonArray OutcomeBlocks(string text, string? value)
    {
        var blocks = Sections(text);
        if (value is { Length: <= ValueLimit })
        {
            blocks.Add(SlackBlocks.Actions(SlackBlocks.Button("Send again", Press, value)));
        }

        return blocks;
    }

    /// <summary>Checks what a press must carry, acknowledges it, and handles it within the ack budget or after.</summary>
    public async Task<IResult> HandleAsync(SlackInteraction interaction, SlackBlockAction action, CancellationToken cancellationToken)
    {
        if (interaction is not { User.Id: { Length: > 0 } userId, Team.Id: { Length: > 0 } teamId, ResponseUrl: { Length: > 0 } }
            || (interaction.Container?.ChannelId ?? interaction.Channel?.Id) is not { Length: > 0 } channelId)
        {
            return TypedResults.Problem("The button payload is missing its user, team, channel or response_url.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (InboundIds.FirstTooLong(("team.id", teamId), ("channel.id", channelId), ("user.id", userId), ("container.message_ts", interaction.Container?.MessageTs)) is { } tooLong)
        {
            return TypedResults.Problem(InboundIds.TooLongReason(tooLong), statusCode: StatusCodes.Status400BadRequest);
        }

        await SlackBackgroundWork.RunWithinAckBudgetAsync(
            ct => PressAsync(interaction, action, new ChannelRef(Platform.Slack, teamId, channelId), userId, ct), time, lifetime, logger, cancellationToken);
        return TypedResults.Ok();
    }

    private async Task PressAsync(SlackInteraction interaction, SlackBlockAction action, ChannelRef channel, string userId, CancellationToken cancellationToken)
    {
        var confirmed = action.ActionId == Confirm;
        // The confirmation is an ephemeral message of its own: the outcome to update travels in its value.
        var (outcomeTs, value) = confirmed
            ? action.Value?.Split('|', 2) is [var ts, var rest] ? (ts, rest) : (null, null)
            : (interaction.Container?.MessageTs, action.Value);
        var result = await sendAgain.PressAsync(
            value, channel, userId, ct => admins.IsAdminAsync(Platform.Slack, userId, ct), SendAgain.RetriedBy($"Slack user {userId}"), confirmed, cancellationToken);
        var responseUrl = interaction.ResponseUrl!;
        switch (result)
        {
            case SendAgainResult.Refused refused:
                await slack.RespondAsync(responseUrl, Private(refused.Sentence), cancellationToken);
                break;
            case SendAgainResult.NeedsConfirmation confirmation:
                var blocks = Sections(SlackText.Escape(confirmation.Sentence));
                blocks.Add(SlackBlocks.Actions(SlackBlocks.Button("Send anyway", Confirm, $"{outcomeTs}|{value}", style: "danger")));
                await slack.RespondAsync(responseUrl, Private(confirmation.Sentence) with { Blocks = blocks }, cancellationToken);
                break;
            case SendAgainResult.SentAgain sent:
                if (confirmed)
                {
                    await slack.RespondAsync(responseUrl, Private("Sent again; the new outcome follows in the thread.") with { ReplaceOriginal = true }, cancellationToken);
                }

                if (outcomeTs is not null)
                {
                    await MarkSentAgainAsync(sent, outcomeTs, userId, cancellationToken);
                }

                break;
        }
    }

    /// <summary>Rewrites the pressed outcome without its button, so that it does not invite a second press.</summary>
    private async Task MarkSentAgainAsync(SendAgainResult.SentAgain sent, string outcomeTs, string userId, CancellationToken cancellationToken)
    {
        var text = SlackText.Escape(sent.Outcome) + "\n" + SendAgain.SentAgainLine($"<@{userId}>", sent.At);
        try
        {
            // chat.update, not the response_url: the confirmation's response_url belongs to the ephemeral message.
            await slack.UpdateMessageAsync(sent.Forward.Reply.ConversationId, outcomeTs, text, OutcomeBlocks(text, null), cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The retry is recorded and its outcome follows; only the old button stays, and a second press is refused.
            Log.UpdateFailed(logger, sent.Forward.Id, exception.GetType().Name, LogValue.Clean(exception.Message));
        }
    }

    private static SlackResponseUrlMessage Private(string sentence) => new(SlackText.Escape(sentence), ReplaceOriginal: false);

    /// <summary>The text in sections of at most <see cref="SlackBlocks.SectionLimit"/> characters, split between lines.</summary>
    private static JsonArray Sections(string text)
    {
        var blocks = new JsonArray();
        var section = "";
        foreach (var line in text.Split('\n').Select(line => SlackText.Cut(line, SlackBlocks.SectionLimit - 1)))
        {
            if (section.Length > 0 && section.Length + 1 + line.Length > SlackBlocks.SectionLimit)
            {
                blocks.Add(SlackBlocks.Section(section));
                section = "";
            }

            section = section.Length == 0 ? line : section + "\n" + line;
        }

        blocks.Add(SlackBlocks.Section(section.Length == 0 ? " " : section));
        return blocks;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1111, Level = LogLevel.Warning, Message = "Forward {ForwardId} was sent again, but its outcome could not be marked so: {Error} {Reason}")]
        public static partial void UpdateFailed(ILogger logger, string forwardId, string error, string reason);
    }
}
