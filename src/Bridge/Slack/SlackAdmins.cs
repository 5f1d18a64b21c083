using Bridge.Commands;
using Bridge.Forwarding;
using Microsoft.Extensions.Options;

namespace Bridge.Slack;

/// <summary>Who may link and unlink from Slack: <c>Admin:SlackUserIds</c>, or when empty the workspace's admins and owners.</summary>
internal sealed class SlackAdmins(IOptions<SlackOptions> options, SlackApiClient slack) : ICommandAdmins
{
    public Platform Platform => Platform.Slack;

    public async Task<bool> IsAdminAsync(string userId, CancellationToken cancellationToken)
    {
        var configured = options.Value.AdminUserIds.Where(id => !string.IsNullOrWhiteSpace(id)).ToArray();
        if (configured.Length > 0)
        {
            return configured.Contains(userId, StringComparer.Ordinal);
        }

        var user = await slack.GetUserAsync(userId, cancellationToken);
        return user.IsAdmin || user.IsOwner || user.IsPrimaryOwner;
    }
}
