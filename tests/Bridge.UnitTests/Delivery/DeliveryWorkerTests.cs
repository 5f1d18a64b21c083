using Bridge.Delivery;
using Bridge.Fakes;
using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;
using Bridge.UnitTests.Infrastructure;
using Bridge.UnitTests.Storage;
using Bridge.WhatsApp;
using Microsoft.Extensions.Logging;
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
    private readonly StoreAvailability _availability = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly IOptions<DeliveryOptions> _options = Options.Create(new DeliveryOptions());
    private static readonly ReplicaId Replica = new("test-replica");
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
    public async Task Run_JobStrandedMidSendByADeadReplica_IsReportedPossiblyDeliveredOnceItsLeaseRunsOut_AndNeverSent()
    {
        _options.Value.PollInterval = TimeSpan.FromHours(1);
        var link = await LinkAsync("C1", "ops@g.us", "Ops");
        var stranded = await AcceptAsync(link, "first");
        var waiting = await AcceptAsync(link, "second");
        // Another replica claimed the first, marked it Sending, and died: its lease is written, its process gone.
        var job = Assert.Single(await _store.GetJobsAsync(stranded.Id, CancellationToken.None));
        var now = _time.GetUtcNow();
        var claimed = (await _store.TryClaimJobAsync(job.Id, "dead-replica", now, now + _options.Value.JobLease, CancellationToken.None))!;
        claimed.Status = DeliveryStatus.Sending;
        await _store.UpdateJobAsync(claimed, CancellationToken.None);

        var lines = new List<string>();
        var logged = new ConditionWaiters();
        using var logs = LoggerFactory.Create(b => b.AddProvider(new ListLoggerProvider(lines, logged.Changed)));

        await StartAsync(logger: logs.CreateLogger<DeliveryWorker>());
        string started = "";
        await logged.WaitAsync(() =>
        {
            lock (lines)
            {
                started = lines.FirstOrDefault(l => l.Contains("[2201]")) ?? "";
                return started != "";
            }
        });
        // Start-up leaves a live lease alone: the send is its claimant's.
        Assert.Contains(": 0 interrupted send(s)", started);
        _time.Advance(_options.Value.JobLease);
        _signal.Notify();
        await _teams.WaitForRepliesAsync(2);

        Assert.Equal(["second"], _talkNTalk.Sent.Select(m => m.Message));
        job = (await _store.GetJobAsync(job.Id, CancellationToken.None))!;
        // Reported by this replica, whose claim it now holds.
        Assert.Equal((DeliveryStatus.Unknown, DeliveryWorker.InterruptedSendError, Replica.Value), (job.Status, job.Error, job.ClaimedBy));
        Assert.Equal(DeliveryAttempt.Interrupted, Assert.Single(job.Attempts).Outcome);
        Assert.Contains(_teams.Replies, r => r.Text == "⚠️ Possibly delivered to WhatsApp group Ops: " + DeliveryWorker.InterruptedSendError);
        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(await _store.GetJobsAsync(waiting.Id, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Run_EachGroupIsALaneInAcceptanceOrder_AndOneHeldGroupDoesNotHoldTheOthers()
    {
        var ops = await LinkAsync("C1", "ops@g.us", "Ops");
        var sales = await LinkAsync("C2", "sales@g.us", "Sales");
        var opsHeld = _talkNTalk.HoldSendsTo("ops@g.us");
        await StartAsync();
        var forwarder = new Forwarder(_store, _store, new DeliveryScheduler(_pendingJobs, _signal, _metrics), ApprovalsOff.Gate(_store, _time), _store, ApprovalsOff.Schedules(_store, _time), _availability, _time, Options.Create(new ForwardingOptions { WhatsAppConfigured = true }));

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

    [Fact]
    public async Task Run_JobWhoseSentRecordFails_IsReportedPossiblyDeliveredAfterItsBackoffAndNotSentAgain()
    {
        _options.Value.PollInterval = TimeSpan.FromHours(1);
        _options.Value.RetryBaseDelay = TimeSpan.FromSeconds(10);
        // Its Sending mark is recorded, the send goes, and recording what WhatsApp answered fails (a full disk).
        var store = new FailingJobUpdatesStore(_store, failures: 1, succeedFirst: 1);
        var lines = new List<string>();
        var logged = new ConditionWaiters();
        using var logs = LoggerFactory.Create(b => b.AddProvider(new ListLoggerProvider(lines, logged.Changed)));
        var link = await LinkAsync("C1", "ops@g.us", "Ops");
        await AcceptAsync(link, "hello");
        await AcceptAsync(link, "next");

        // The worker logs the failed run once it has held the group back.
        await StartAsync(store, logs.CreateLogger<DeliveryWorker>());
        await logged.WaitAsync(() =>
        {
            lock (lines)
            {
                return lines.Any(l => l.Contains("[2203]"));
            }
        });
        _time.Advance(TimeSpan.FromSeconds(10));
        _signal.Notify();
        await _teams.WaitForRepliesAsync(2);

        // The job left Sending is not sent again: it is reported, and the group's next job goes on.
        Assert.Equal(["hello", "next"], _talkNTalk.Sent.Select(m => m.Message));
        Assert.Contains(_teams.Replies, r => r.Text.Contains("possibly", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Run_JobWhoseStoreUpdateFails_IsRetriedWithBackoffAndLoggedOnceUntilItRecovers()
    {
        _options.Value.PollInterval = TimeSpan.FromHours(1);
        _options.Value.RetryBaseDelay = TimeSpan.FromSeconds(10);
        _options.Value.RetryMaxDelay = TimeSpan.FromMinutes(1);
        var store = new FailingJobUpdatesStore(_store, failures: 2);
        var lines = new List<string>();
        var logged = new ConditionWaiters();
        using var logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider(lines, logged.Changed)));
        Task LoggedAsync(string eventId) => logged.WaitAsync(() =>
        {
            lock (lines)
            {
                return lines.Any(l => l.Contains(eventId));
            }
        });
        var link = await LinkAsync("C1", "ops@g.us", "Ops");
        await AcceptAsync(link, "hello");

        // Each failure is awaited in the worker's log, which it writes once it has held the group back.
        await StartAsync(store, logs.CreateLogger<DeliveryWorker>());
        await LoggedAsync("[2203]");

        // Woken again and again before its backoff ends, the worker does not run the job.
        for (var round = 1; round <= 3; round++)
        {
            var queries = store.ReplyQueries;
            _signal.Notify();
            await store.WaitForReplyQueriesAsync(queries + 1);
        }

        Assert.Equal(1, store.FailedUpdates);

        // The first hold is at most the base delay, the second at most twice that.
        _time.Advance(TimeSpan.FromSeconds(10));
        _signal.Notify();
        await LoggedAsync("[2205]");
        Assert.Equal(2, store.FailedUpdates);
        _time.Advance(TimeSpan.FromSeconds(20));
        _signal.Notify();
        await _teams.WaitForRepliesAsync(1);
        await LoggedAsync("[2204]");

        Assert.Equal(["hello"], _talkNTalk.Sent.Select(m => m.Message));
        Assert.Equal(2, store.FailedUpdates);
        Assert.Equal("✅ Sent to WhatsApp group Ops: message_id msg-1", Assert.Single(_teams.Replies).Text);
        lock (lines)
        {
            Assert.Single(lines, l => l.StartsWith("Error"));
            Assert.Single(lines, l => l.StartsWith("Error") && l.Contains("[2203]") && l.Contains("could not be written"));
            Assert.Single(lines, l => l.StartsWith("Information") && l.Contains("[2204]") && l.Contains("after 2 failed run(s)"));
        }
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

    private async Task StartAsync(IForwardStore? store = null, ILogger<DeliveryWorker>? logger = null)
    {
        store ??= _store;
        var whatsAppOptions = Options.Create(new WhatsAppOptions());
        var runner = new JobRunner(store, _talkNTalk.Client(), new StubMediaPublisher(), _signal, _pendingJobs, _metrics, _time, _options, whatsAppOptions, NullLogger<JobRunner>.Instance);
        var replies = new ReplyPoster(store, Replica, [_teams], _signal, _availability, _time, _options, NullLogger<ReplyPoster>.Instance);
        _worker = new DeliveryWorker(store, Replica, runner, replies, _pendingJobs, _signal, _availability, _time, _options, whatsAppOptions, logger ?? NullLogger<DeliveryWorker>.Instance);
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
