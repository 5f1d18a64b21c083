using Bridge.Commands;
using Bridge.Forwarding;
using Microsoft.Extensions.Options;

namespace Bridge.Teams;

/// <summary>Who may link and unlink from Teams: the AAD object ids in <c>Admin:TeamsUserIds</c>.</summary>
internal sealed class TeamsAdmins(IOptions<TeamsOptions> options) : ICommandAdmins
{
    public Platform Platform => Platform.Teams;

    public Task<bool> IsAdminAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(userId.Length > 0
            && options.Value.AdminUserIds.Any(id => string.Equals(id?.Trim(), userId, StringComparison.OrdinalIgnoreCase)));
}
