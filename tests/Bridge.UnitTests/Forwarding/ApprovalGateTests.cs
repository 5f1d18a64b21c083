using Bridge.Forwarding;
using Bridge.UnitTests.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.UnitTests.Forwarding;

public sealed class ApprovalGateTests
{
    private static readonly ChannelRef Channel = new(Platform.Slack, "T1", "C1");

    private readonly InMemoryStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly List<PendingApproval> _shown = [];

    [Theory]
    [InlineData(100, 99, false, false)]
    [InlineData(100, 100, false, true)]
    [InlineData(0, 5000, false, false)]
    [InlineData(0, 3, true, true)]
    public async Task Hold_HeldByGroupSizeOrByTheLinksMark(int minParticipants, int members, bool linkRequiresApproval, bool held)
    {
        var gate = Gate(minParticipants, members);

        var outcome = await gate.HoldAsync(NewForward(), Route(linkRequiresApproval), null, CancellationToken.None);

        Assert.Equal(held, outcome is ForwardOutcome.AwaitingApproval);
        Assert.Equal(held ? 1 : 0, _shown.Count);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Hold_UnknownSize_HeldOnlyWhenTheLinkRequiresApproval(bool linkRequiresApproval, bool held)
    {
        var gate = Gate(minParticipants: 100, members: null);

        var outcome = await gate.HoldAsync(NewForward(), Route(linkRequiresApproval), "teams:c:1", CancellationToken.None);

        Assert.Equal(held, outcome is ForwardOutcome.AwaitingApproval);
        if (outcome is ForwardOutcome.AwaitingApproval { Approval: var approval })
        {
            var stored = (await _store.GetApprovalAsync(approval.Id, CancellationToken.None))!;
            Assert.Equal(("teams:c:1", (int?)null, _time.GetUtcNow().AddHours(24)), (stored.DedupeKey, stored.Groups[0].MemberCount, stored.ExpiresAt));
            Assert.Contains("size unknown", ApprovalText.Group(stored.Groups[0]));
            Assert.Equal("at least 0 people", ApprovalText.Total(stored));
        }
    }

    [Fact]
    public async Task Hold_PreviewCannotBeShown_ClosesTheApprovalAndSaysNothingWasSent()
    {
        var gate = new ApprovalGate(_store, new Sizes(500), [new Presenter(_ => throw new InvalidOperationException("Slack refused: not_in_channel"))], _time,
            Options.Create(new ApprovalOptions { MinParticipants = 100 }));

        var outcome = await gate.HoldAsync(NewForward(), Route(false), null, CancellationToken.None);

        var failed = Assert.IsType<ForwardOutcome.PreviewFailed>(outcome);
        Assert.Contains("could not show its preview (Slack refused: not_in_channel); nothing was sent", failed.Describe("/whatsapp"));
        Assert.Empty(await _store.GetApprovedApprovalsAsync(CancellationToken.None));
    }

    private ApprovalGate Gate(int minParticipants, int? members) =>
        new(_store, new Sizes(members), [new Presenter(_shown.Add)], _time, Options.Create(new ApprovalOptions { MinParticipants = minParticipants }));

    private static ForwardRoute Route(bool requiresApproval) => new(Channel,
        [new ChannelLink { Platform = Platform.Slack, WorkspaceId = "T1", ChannelId = "C1", SessionId = "s1", GroupId = "g1@g.us", GroupName = "Ops", RequiresApproval = requiresApproval }],
        null);

    private static Forward NewForward() => new() { Platform = Platform.Slack, WorkspaceId = "T1", ChannelId = "C1", UserId = "U1", Text = "Hello" };

    private sealed class Sizes(int? members) : IGroupSizes
    {
        public Task<int?> MemberCountAsync(ChannelLink link, CancellationToken cancellationToken) => Task.FromResult(members);
    }

    private sealed class Presenter(Action<PendingApproval> show) : IApprovalPresenter
    {
        public Platform Platform => Platform.Slack;

        public Task ShowAsync(PendingApproval approval, CancellationToken cancellationToken)
        {
            show(approval);
            return Task.CompletedTask;
        }

        public Task RedrawAsync(PendingApproval approval, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The gate only shows previews; presses and the expiry sweep redraw them.");
    }
}
