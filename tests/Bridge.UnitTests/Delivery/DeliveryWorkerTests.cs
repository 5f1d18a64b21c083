using Bridge.Delivery;
using Bridge.Forwarding;
using Bridge.UnitTests.Infrastructure;
using Bridge.UnitTests.Storage;
using Bridge.WhatsApp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.UnitTests.Delivery;

/// <summary>
/// The worker on the in-memory store and a fake clock that is never advanced: only the scheduler's and the lanes'
/// signals move it, and the tests wait for what the stubs record, never for time.
/// </summary>
public sealed class DeliveryWorkerTests : IAsyncDisposable
{
    private readonly InMemoryStore _store = new();
    private readonly StubTalkNTalk _talkNTalk = new();
    private readonly FakeReplier _teams = new(Platform.Teams) { Route = ReplyRoute.Chat };
    private readonly PendingJobIndex _pendingJobs = new();
    private readonly DeliverySignal _signal = new();
    private readonly DeliveryMetrics _metrics = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly IOptions<DeliveryOptions> _options = Options.Create(new DeliveryOptions());
    private DeliveryWorker? _worker;

    [Fact]
    public async Task Start_InterruptedSend_IsReportedPossiblyDeliveredAndNeverSentAgainWhileTheNextJobResumes()
    {
        var link = await LinkAsync("C1", "ops@g.us", "Ops");
        var interrupted = await AcceptAsync(link, "first");
        var job = Assert.Single(await _store.GetJobsAsync(interrupted.Id, CancellationToken.None));
        job.Status = DeliveryStatus.Sending;
        await _store.UpdateJobAsync(job, CancellationToken.None);
        var waiting = await AcceptAsync(link, "second");

        await StartAsync();
        await _teams.WaitForRepliesAsync(2);

        Assert.Equal(["second"], _talkNTalk.Sent.Select(m => m.Message));
        job = (await _store.GetJobAsync(job.Id, CancellationToken.None))!;
        Assert.Equal((DeliveryStatus.Unknown, DeliveryWorker.InterruptedSendError), (job.Status, job.Error));
        Assert.Contains(_teams.Replies, r => r.Text == "⚠️ Possibly delivered to WhatsApp group Ops: " + DeliveryWorker.InterruptedSendError);
        Assert.Contains(_teams.Replies, r => r.Text == "✅ Sent to WhatsApp group Ops: message_id msg-1");
        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(await _store.GetJobsAsync(waiting.Id, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Run_EachGroupIsALaneInAcceptanceOrder_AndOneHeldGroupDoesNotHoldTheOthers()
    {
        var ops = await LinkAsync("C1", "ops@g.us", "Ops");
        var sales = await LinkAsync("C2", "sales@g.us", "Sales");
        var opsHeld = _talkNTalk.HoldSendsTo("ops@g.us");
        await StartAsync();
        var forwarder = new Forwarder(_store, _store, new DeliveryScheduler(_pendingJobs, _signal, _metrics), _time, Options.Create(new ForwardingOptions { WhatsAppConfigured = true }));

        foreach (var (link, text) in new[] { (ops, "ops 1"), (ops, "ops 2"), (sales, "sales 1"), (ops, "ops 3") })
        {
            await forwarder.AcceptAsync(NewForward(link, text), null, CancellationToken.None);
        }

        // Sales is delivered and replied while the first Ops send is still in flight, and Ops sends nothing else meanwhile.
        await _talkNTalk.WaitForSendsAsync(2);
        await _teams.WaitForRepliesAsync(1);
        Assert.Equal("✅ Sent to WhatsApp group Sales: message_id " + SentId("sales 1"), Assert.Single(_teams.Replies).Text);
        Assert.Equal(["ops 1"], SentTo("ops@g.us"));

        opsHeld.SetResult();
        await _teams.WaitForRepliesAsync(4);
        Assert.Equal(["ops 1", "ops 2", "ops 3"], SentTo("ops@g.us"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.StopAsync(CancellationToken.None);
            _worker.Dispose();
        }

        _metrics.Dispose();
    }

    private async Task StartAsync()
    {
        var whatsAppOptions = Options.Create(new WhatsAppOptions());
        var runner = new JobRunner(_store, _talkNTalk.Client(), new StubMediaPublisher(), _signal, _pendingJobs, _metrics, _time, _options, whatsAppOptions, NullLogger<JobRunner>.Instance);
        var replies = new ReplyPoster(_store, [_teams], _time, _options, NullLogger<ReplyPoster>.Instance);
        _worker = new DeliveryWorker(_store, runner, replies, _pendingJobs, _signal, _time, _options, NullLogger<DeliveryWorker>.Instance);
        await _worker.StartAsync(CancellationToken.None);
    }

    private IEnumerable<string?> SentTo(string groupId) => _talkNTalk.Sent.Where(m => m.To == groupId).Select(m => m.Message);

    private string SentId(string text) => "msg-" + (_talkNTalk.Sent.ToList().FindIndex(m => m.Message == text) + 1);

    private async Task<ChannelLink> LinkAsync(string channelId, string groupId, string groupName)
    {
        var link = new ChannelLink { Platform = Platform.Teams, WorkspaceId = "tenant", ChannelId = channelId, SessionId = "s1", GroupId = groupId, GroupName = groupName };
        await _store.AddLinkAsync(link, CancellationToken.None);
        return link;
    }

    private async Task<Forward> AcceptAsync(ChannelLink link, string text)
    {
        var forward = NewForward(link, text);
        forward.CreatedAt = _time.GetUtcNow();
        await _store.AcceptAsync(forward, [link], null, CancellationToken.None);
        return forward;
    }

    private static Forward NewForward(ChannelLink link, string text) =>
        new() { Platform = link.Platform, WorkspaceId = link.WorkspaceId, ChannelId = link.ChannelId, Text = text };
}
