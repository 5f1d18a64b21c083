namespace Bridge.Commands;

/// <summary>Asks the platform of a command whether its user is an admin, for link, unlink and cancelling others' schedules.</summary>
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
            var admins = platforms.FirstOrDefault(p => p.Platform == request.Channel.Platform);
            return admins is not null && await admins.IsAdminAsync(request.UserId, cancellationToken)
                ? null
                : notAdmin;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // e.g. users.info without the users:read scope: say so rather than fail the command.
            return $"Bridge could not check whether you are an admin ({exception.Message}), so nothing was changed. "
                + "Ask an admin to list the admins in Admin:SlackUserIds / Admin:TeamsUserIds, or to grant the users:read scope.";
        }
    }
}
