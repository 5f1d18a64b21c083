using Microsoft.Extensions.Logging.Abstractions;
using Bridge.Forwarding;
using Bridge.UnitTests.Storage;
using Microsoft.Extensions.Options;

namespace Bridge.UnitTests.Infrastructure;

/// <summary>The approval gate as an upgraded Bridge has it: Approval:MinParticipants 0 and no link requiring approval hold nothing.</summary>
internal static class ApprovalsOff
{
    public static ApprovalGate Gate(InMemoryStore store, TimeProvider time) =>
        new(store, new UnknownGroupSizes(), [], time, Options.Create(new ApprovalOptions()));

    /// <summary>Scheduled sends that nobody announces: a forwarder's tests schedule nothing.</summary>
    public static ScheduledSends Schedules(InMemoryStore store, TimeProvider time) =>
        new(store, [], time, NullLogger<ScheduledSends>.Instance);

    private sealed class UnknownGroupSizes : IGroupSizes
    {
        public Task<int?> MemberCountAsync(ChannelLink link, CancellationToken cancellationToken) => Task.FromResult<int?>(null);
    }
}
