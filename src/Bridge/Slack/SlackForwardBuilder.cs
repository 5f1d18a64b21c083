using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>Builds forwards from Slack content: mrkdwn to WhatsApp text, with mentioned users' display names.</summary>
internal sealed class SlackForwardBuilder(SlackApiClient slack)
{
    /// <summary>
    /// Names are looked up while Slack waits for its answer, and the forward must be recorded before that answer:
    /// a slow users.info costs at most this long, then the remaining mentions stay as ids.
    /// </summary>
    private static readonly TimeSpan NameLookupBudget = TimeSpan.FromSeconds(1);

    public async Task<string> ToWhatsAppTextAsync(string mrkdwn, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(NameLookupBudget);
        foreach (var userId in SlackMrkdwn.MentionedUserIds(mrkdwn).Distinct())
        {
            try
            {
                names[userId] = (await slack.GetUserAsync(userId, budget.Token)).DisplayName;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && exception is not OutOfMemoryException)
            {
                // Without users:read, for a deleted user, or out of time, the mention stays as the id: readable, never dropped.
            }
        }

        return SlackMrkdwn.ToWhatsApp(mrkdwn, names);
    }

    public static Forward NewForward(string teamId, string channelId, string userId, string userName) => new()
    {
        Platform = Platform.Slack,
        WorkspaceId = teamId,
        ChannelId = channelId,
        UserId = userId,
        UserName = userName,
        Reply = new ReplyTarget { ConversationId = channelId },
    };
}
