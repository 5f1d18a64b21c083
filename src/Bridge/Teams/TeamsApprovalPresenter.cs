using Bridge.Forwarding;

namespace Bridge.Teams;

/// <summary>
/// Shows a preview in Teams: its card in the thread of the message sent, where the sender (or, with approvers, an
/// approver) presses its buttons. Posted after the activity is answered: the Connector post may take longer than the
/// 5 s Teams gives a message action's invoke.
/// </summary>
internal sealed partial class TeamsApprovalPresenter(
    TeamsConnectorClient connector, IHostApplicationLifetime lifetime, ILogger<TeamsApprovalPresenter> logger) : IApprovalPresenter
{
    public Platform Platform => Platform.Teams;

    public Task ShowAsync(PendingApproval approval, CancellationToken cancellationToken)
    {
        _ = PostAsync(approval);
        return Task.CompletedTask;
    }

    private async Task PostAsync(PendingApproval approval)
    {
        await Task.Yield();
        try
        {
            await connector.PostAsync(approval.Forward.Reply, ApprovalText.Title, lifetime.ApplicationStopping,
                card: TeamsApprovalCard.Card(approval));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            Log.PreviewFailed(logger, exception.GetType().Name, LogValue.Clean(exception.Message));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "A Teams approval preview could not be posted: {Error} {Reason}")]
        public static partial void PreviewFailed(ILogger logger, string error, string reason);
    }
}
