using Bridge.Forwarding;

namespace Bridge.Teams;

/// <summary>
/// Shows a preview in Teams: its card in the thread of the message sent, where the sender (or, with approvers, an
/// approver) presses its buttons, and keeps the card's activity id so the card is redrawn when it expires unpressed
/// (a press redraws it itself: <see cref="TeamsActivityHandler"/>). Posted after the activity is answered: the
/// Connector post may take longer than the 5 s Teams gives a message action's invoke.
/// </summary>
internal sealed partial class TeamsApprovalPresenter(
    TeamsConnectorClient connector, IApprovalStore approvals, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<TeamsApprovalPresenter> logger) : IApprovalPresenter
{
    public Platform Platform => Platform.Teams;

    public Task ShowAsync(PendingApproval approval, CancellationToken cancellationToken)
    {
        _ = PostAsync(approval);
        return Task.CompletedTask;
    }

    /// <summary>Replaces the card in place (Update an activity); a card whose id the Connector did not give stays as it is.</summary>
    public Task RedrawAsync(PendingApproval approval, CancellationToken cancellationToken) =>
        approval.PreviewId is { } activityId
            ? connector.UpdateAsync(approval.Forward.Reply, activityId, ApprovalText.Title, TeamsApprovalCard.Card(approval), cancellationToken)
            : Task.CompletedTask;

    private async Task PostAsync(PendingApproval approval)
    {
        await Task.Yield();
        var stopping = lifetime.ApplicationStopping;
        string? activityId;
        try
        {
            activityId = await connector.PostAsync(approval.Forward.Reply, ApprovalText.Title, stopping, card: TeamsApprovalCard.Card(approval));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            Log.CardFailed(logger, approval.Id, exception.GetType().Name, LogValue.Clean(exception.Message));
            await CloseUnshownAsync(approval, exception.Message, stopping);
            return;
        }

        if (activityId is null)
        {
            return;
        }

        try
        {
            await approvals.SetApprovalPreviewAsync(approval.Id, activityId, stopping);
            Log.CardPosted(logger, approval.Id, activityId);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // Shown all the same, and its presses work: only its redraw at expiry is lost.
            Log.CardNotKept(logger, approval.Id, exception.GetType().Name, LogValue.Clean(exception.Message));
        }
    }

    /// <summary>
    /// A card nobody sees could never be sent: it is closed, and the sender told in the thread, as a preview Slack
    /// refused is (<see cref="ApprovalGate"/>). The Connector may refuse that reply too; the log then says so.
    /// </summary>
    private async Task CloseUnshownAsync(PendingApproval approval, string reason, CancellationToken stopping)
    {
        try
        {
            if (await approvals.DecideApprovalAsync(approval.Id, ApprovalState.Cancelled, "", "Bridge", time.GetUtcNow(), stopping))
            {
                await connector.PostAsync(approval.Forward.Reply, ForwardOutcome.PreviewFailedSentence(reason), stopping);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            Log.FailureNotTold(logger, approval.Id, exception.GetType().Name, LogValue.Clean(exception.Message));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4502, Level = LogLevel.Information, Message = "The Teams card of approval {ApprovalId} was posted as activity {ActivityId}")]
        public static partial void CardPosted(ILogger logger, string approvalId, string activityId);

        [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "The Teams card of approval {ApprovalId} could not be posted: {Error} {Reason}")]
        public static partial void CardFailed(ILogger logger, string approvalId, string error, string reason);

        [LoggerMessage(EventId = 4503, Level = LogLevel.Warning, Message = "The Teams card of approval {ApprovalId} was posted, but its activity id could not be kept, so it is not redrawn at expiry: {Error} {Reason}")]
        public static partial void CardNotKept(ILogger logger, string approvalId, string error, string reason);

        [LoggerMessage(EventId = 4504, Level = LogLevel.Warning, Message = "Approval {ApprovalId}, whose card could not be posted, could not be closed or its sender told: {Error} {Reason}")]
        public static partial void FailureNotTold(ILogger logger, string approvalId, string error, string reason);
    }
}
