using Bridge.Commands;
using Bridge.Forwarding;

namespace Bridge.UnitTests.Infrastructure;

/// <summary>The admins of one platform; <see cref="Failure"/> makes the check throw, as a Slack users.info error would.</summary>
internal sealed class FakeAdmins(Platform platform, params string[] userIds) : ICommandAdmins
{
    public Platform Platform => platform;
    public Exception? Failure { get; set; }
    public int Checks { get; private set; }

    public Task<bool> IsAdminAsync(string userId, CancellationToken cancellationToken)
    {
        Checks++;
        return Failure is null ? Task.FromResult(userIds.Contains(userId)) : Task.FromException<bool>(Failure);
    }
}
