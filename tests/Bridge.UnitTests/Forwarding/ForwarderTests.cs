using Bridge.Forwarding;
using Bridge.UnitTests.Infrastructure;
using Bridge.UnitTests.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.UnitTests.Forwarding;

public sealed class ForwarderTests
{
    private static readonly ChannelRef Channel = new(Platform.Slack, "T1", "C1");

    private readonly InMemoryStore _store = new();
    private readonly RecordingScheduler _scheduler = new();
    private readonly StoreAvailability _availability = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Accept_WhatsAppNotConfigured_StoresNothing()
    {
        await LinkAsync("g1@g.us");
        var forward = NewForward();

        var outcome = await Forwarder(whatsAppConfigured: false).AcceptAsync(forward, "k1", CancellationToken.None);

        Assert.IsType<ForwardOutcome.WhatsAppNotConfigured>(outcome);
        Assert.Null(await _store.GetForwardAsync(forward.Id, CancellationToken.None));
        Assert.Empty(_scheduler.Calls);
    }

    [Fact]
    public async Task Accept_StoreLost_IsRefusedWithItsReasonAndStoresNothing_UntilTheStoreIsBack()
    {
        await LinkAsync("g1@g.us");
        var forwarder = Forwarder();
        _availability.MarkLost("its database cannot be reached");

        var refused = await forwarder.AcceptAsync(NewForward(), null, CancellationToken.None);
        _availability.MarkBack();
        var accepted = await forwarder.AcceptAsync(NewForward(), null, CancellationToken.None);

        Assert.Equal(new ForwardOutcome.NotRecorded("its database cannot be reached"), refused);
        Assert.IsType<ForwardOutcome.Accepted>(accepted);
        Assert.Single(await _store.QueryJobsAsync(new DeliveryQuery(), CancellationToken.None));
        Assert.Single(_scheduler.Calls);
    }

    [Fact]
    public async Task Accept_EveryLinkPaused_IsRefusedNamingTheGroupsAndStoresNothing()
    {
        await LinkAsync("g1@g.us", paused: true);
        await LinkAsync("g2@g.us", paused: true);
        var forward = NewForward();

        var outcome = await Forwarder().AcceptAsync(forward, null, CancellationToken.None);

        var paused = Assert.IsType<ForwardOutcome.Paused>(outcome);
        Assert.Equal(["g1@g.us", "g2@g.us"], paused.Links.Select(l => l.GroupId));
        Assert.Equal(
            "Nothing was sent: the links to WhatsApp groups Group g1@g.us, Group g2@g.us are paused. Ask a Bridge admin to resume them on the Bridge admin page (Links).",
            outcome.Describe("/whatsapp"));
        Assert.Null(await _store.GetForwardAsync(forward.Id, CancellationToken.None));
        Assert.Empty(_scheduler.Calls);
    }

    [Fact]
    public async Task Accept_SomeLinksPaused_SendsToTheActiveOnesAndNamesTheSkipped()
    {
        await LinkAsync("g1@g.us", paused: true);
        await LinkAsync("g2@g.us");

        var outcome = await Forwarder().AcceptAsync(NewForward(), null, CancellationToken.None);

        var accepted = Assert.IsType<ForwardOutcome.Accepted>(outcome);
        Assert.Equal(["g2@g.us"], accepted.Groups.Select(l => l.GroupId));
        Assert.Equal(["g1@g.us"], accepted.Skipped.Select(l => l.GroupId));
        Assert.Equal(["g2@g.us"], (await _store.QueryJobsAsync(new DeliveryQuery(), CancellationToken.None)).Select(j => j.GroupId));
    }

    [Fact]
    public async Task Accept_ChannelNotLinked_StoresNothing()
    {
        var forward = NewForward();

        var outcome = await Forwarder().AcceptAsync(forward, null, CancellationToken.None);

        Assert.IsType<ForwardOutcome.NotLinked>(outcome);
        Assert.Null(await _store.GetForwardAsync(forward.Id, CancellationToken.None));
        Assert.Empty(_scheduler.Calls);
    }

    [Fact]
    public async Task Accept_Linked_StoresTheForwardAndOneJobPerLinkAndSchedulesThem()
    {
        await LinkAsync("g1@g.us");
        await LinkAsync("g2@g.us");
        var forward = NewForward();

        var outcome = await Forwarder().AcceptAsync(forward, "k1", CancellationToken.None);

        var accepted = Assert.IsType<ForwardOutcome.Accepted>(outcome);
        Assert.Equal(forward.Id, accepted.ForwardId);
        Assert.Equal(["g1@g.us", "g2@g.us"], accepted.Groups.Select(g => g.GroupId));
        var stored = await _store.GetForwardAsync(forward.Id, CancellationToken.None);
        Assert.Equal(_time.GetUtcNow(), stored!.CreatedAt);
        var jobs = await _store.GetJobsAsync(forward.Id, CancellationToken.None);
        Assert.Equal(["g1@g.us", "g2@g.us"], jobs.Select(j => j.GroupId));
        Assert.All(jobs, j => Assert.Equal(DeliveryStatus.Pending, j.Status));
        var call = Assert.Single(_scheduler.Calls);
        Assert.Equal(forward.Id, call.Forward.Id);
        Assert.Equal(jobs.Select(j => j.Id), call.Jobs.Select(j => j.Id));
    }

    [Fact]
    public async Task Accept_SameDedupeKeyAgain_IsADuplicateOfTheFirstAndSchedulesNothingMore()
    {
        await LinkAsync("g1@g.us");
        var first = NewForward();
        await Forwarder().AcceptAsync(first, "k1", CancellationToken.None);
        var retry = NewForward();

        var outcome = await Forwarder().AcceptAsync(retry, "k1", CancellationToken.None);

        var duplicate = Assert.IsType<ForwardOutcome.Duplicate>(outcome);
        Assert.Equal(first.Id, duplicate.ForwardId);
        Assert.Equal((await _store.GetJobsAsync(first.Id, CancellationToken.None)).Select(j => j.Id), duplicate.Jobs.Select(j => j.Id));
        Assert.Null(await _store.GetForwardAsync(retry.Id, CancellationToken.None));
        Assert.Single(_scheduler.Calls);
    }

    [Fact]
    public async Task Accept_OnARoute_SendsToTheGroupsTheRouteFound()
    {
        await LinkAsync("g1@g.us");
        var forwarder = Forwarder();
        var route = await forwarder.RouteAsync(Channel, CancellationToken.None);
        // A link added while the forward is built is not read again: the route found the groups once.
        await LinkAsync("g2@g.us");

        var outcome = await forwarder.AcceptAsync(NewForward(), route, null, CancellationToken.None);

        Assert.Null(route.Refusal);
        Assert.Equal(["g1@g.us"], Assert.IsType<ForwardOutcome.Accepted>(outcome).Groups.Select(g => g.GroupId));
    }

    [Fact]
    public async Task Accept_OnAnotherChannelsRoute_Throws()
    {
        await LinkAsync("g1@g.us");
        var forwarder = Forwarder();
        var route = await forwarder.RouteAsync(Channel with { ChannelId = "C2" }, CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() => forwarder.AcceptAsync(NewForward(), route with { Refusal = null }, null, CancellationToken.None));
        Assert.Empty(_scheduler.Calls);
    }

    private Forwarder Forwarder(bool whatsAppConfigured = true) =>
        new(_store, _store, _scheduler, ApprovalsOff.Gate(_store, _time), _store, ApprovalsOff.Schedules(_store, _time), _availability, _time, Options.Create(new ForwardingOptions { WhatsAppConfigured = whatsAppConfigured }));

    private static Forward NewForward() => new()
    {
        Platform = Channel.Platform,
        WorkspaceId = Channel.WorkspaceId,
        ChannelId = Channel.ChannelId,
        UserId = "U1",
        Text = "hello",
    };

    private async Task LinkAsync(string groupId, bool paused = false)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        await _store.AddLinkAsync(new ChannelLink
        {
            Paused = paused,
            Platform = Channel.Platform,
            WorkspaceId = Channel.WorkspaceId,
            ChannelId = Channel.ChannelId,
            SessionId = "s1",
            GroupId = groupId,
            GroupName = "Group " + groupId,
            CreatedAt = _time.GetUtcNow(),
        }, CancellationToken.None);
    }
}
