using Bridge.Forwarding;

namespace Bridge.Commands;

/// <summary>Who may link and unlink on one platform; each platform's own settings and API answer it.</summary>
internal interface ICommandAdmins
{
    Platform Platform { get; }

    Task<bool> IsAdminAsync(string userId, CancellationToken cancellationToken);
}
