using Bridge.Forwarding;
using Bridge.Storage;

namespace Bridge.Slack;

/// <summary>Builds forwards from Slack content: mrkdwn to WhatsApp text, with mentioned users' display names.</summary>
internal sealed class SlackForwardBuilder(SlackApiClient slack)
{
    public async Task<string> ToWhatsAppTextAsync(string mrkdwn, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>();
        foreach (var userId in SlackMrkdwn.MentionedUserIds(mrkdwn).Distinct())
        {
            try
            {
                names[userId] = (await slack.GetUserAsync(userId, cancellationToken)).DisplayName;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Without users:read (or for a deleted user) the mention stays as the id: still readable, never dropped.
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
