using Bridge.Forwarding;

namespace Bridge.Commands;

/// <summary>Asks a platform whether a user is an admin: for link, unlink, cancelling others' schedules and Send again.</summary>
internal sealed class AdminCheck(IEnumerable<ICommandAdmins> platforms)
{
    /// <summary>Null when the user is an admin; otherwise the sentence that refuses linking.</summary>
    public Task<string?> RefusalAsync(CommandRequest request, CancellationToken cancellationToken) =>
        RefusalAsync(request, "Only Bridge admins can link and unlink channels. Ask an admin to run this command.", cancellationToken);

    /// <summary>Null when the user is an admin; otherwise <paramref name="notAdmin"/>, or why it could not be checked.</summary>
    public async Task<string?> RefusalAsync(CommandRequest request, string notAdmin, CancellationToken cancellationToken)
    {
        try
        {
            return await AskAsync(request.Channel.Platform, request.UserId, cancellationToken) ? null : notAdmin;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // e.g. users.info without the users:read scope: say so rather than fail the command.
            return $"Bridge could not check whether you are an admin ({exception.Message}), so nothing was changed. "
                + "Ask an admin to list the admins in Admin:SlackUserIds / Admin:TeamsUserIds, or to grant the users:read scope.";
        }
    }

    /// <summary>Whether the user is an admin; false when the platform can't say (e.g. users.info without the users:read scope).</summary>
    public async Task<bool> IsAdminAsync(Platform platform, string userId, CancellationToken cancellationToken)
    {
        try
        {
            return await AskAsync(platform, userId, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<bool> AskAsync(Platform platform, string userId, CancellationToken cancellationToken) =>
        platforms.FirstOrDefault(p => p.Platform == platform) is { } admins && await admins.IsAdminAsync(userId, cancellationToken);
}
