using Bridge.Admin;
using Microsoft.Extensions.Options;

namespace Bridge.Slack;

/// <summary>Who may link and unlink from Slack: <c>Admin:SlackUserIds</c>, or when empty the workspace's admins and owners.</summary>
internal sealed class SlackAdmins(IOptions<AdminOptions> options, SlackApiClient slack)
{
    public async Task<bool> IsAdminAsync(string userId, CancellationToken cancellationToken)
    {
        var configured = options.Value.SlackUserIds.Where(id => !string.IsNullOrWhiteSpace(id)).ToArray();
        if (configured.Length > 0)
        {
            return configured.Contains(userId, StringComparer.Ordinal);
        }

        var user = await slack.GetUserAsync(userId, cancellationToken);
        return user.IsAdmin || user.IsOwner || user.IsPrimaryOwner;
    }
}
