using System.Net;
using Bridge.Delivery;
using Bridge.Forwarding;
using Bridge.UnitTests.Infrastructure;
using Bridge.UnitTests.Storage;
using Bridge.WhatsApp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;

namespace Bridge.UnitTests.Delivery;

public sealed class JobRunnerTests : IDisposable
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CircuitBreak = TimeSpan.FromSeconds(15);

    private readonly InMemoryStore _store = new();
    private readonly StubTalkNTalk _talkNTalk = new();
    private readonly StubMediaPublisher _media = new();
    private readonly PendingJobIndex _pendingJobs = new();
    private readonly DeliveryMetrics _metrics = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Run_Sent_RecordsTheMessageIdAndDeliversAndTheOutcomeIsReady()
    {
        var job = await AcceptAsync("hello");

        await RunAsync(job);

        var sent = Assert.Single(_talkNTalk.Sent);
        Assert.Equal(("g1@g.us", "text", "hello"), (sent.To, sent.Type, sent.Message));
        var stored = await StoredAsync(job);
        Assert.Equal(DeliveryStatus.Delivered, stored.Status);
        Assert.Equal(["msg-1"], stored.MessageIds);
        Assert.Null(stored.Error);
        Assert.True((await _store.GetForwardAsync(job.ForwardId, CancellationToken.None))!.OutcomeReady);
        Assert.Empty(_pendingJobs.Heads());
    }

    [Fact]
    public async Task Run_JobLeftSendingByARunWhoseRecordFailed_IsPossiblyDeliveredAndNotSentAgain()
    {
        var job = await AcceptAsync("hello");
        job.Status = DeliveryStatus.Sending;
        await _store.UpdateJobAsync(job, CancellationToken.None);

        await RunAsync(await StoredAsync(job));

        Assert.Empty(_talkNTalk.Sent);
        var stored = await StoredAsync(job);
        Assert.Equal(DeliveryStatus.Unknown, stored.Status);
        Assert.Equal(DeliveryAttempt.Interrupted, Assert.Single(stored.Attempts).Outcome);
        Assert.True((await _store.GetForwardAsync(job.ForwardId, CancellationToken.None))!.OutcomeReady);
    }

    [Fact]
    public async Task Run_NotTaken_IsRescheduledWithGrowingBackoffThenFailsAfterMaxSendAttempts()
    {
        var job = await AcceptAsync("hello");

        // Attempt 1: base delay with equal jitter, so between half of it and all of it.
        _talkNTalk.AnswerNextSend(HttpStatusCode.ServiceUnavailable, "maintenance");
        await RunAsync(job);
        job = await StoredAsync(job);
        Assert.Equal(DeliveryStatus.Pending, job.Status);
        Assert.InRange(job.NextAttemptAt - _time.GetUtcNow(), BaseDelay / 2, BaseDelay);
        Assert.False((await _store.GetForwardAsync(job.ForwardId, CancellationToken.None))!.OutcomeReady);

        // Attempt 2: twice the base delay.
        _time.SetUtcNow(job.NextAttemptAt);
        _talkNTalk.AnswerNextSend(HttpStatusCode.ServiceUnavailable, "maintenance");
        await RunAsync(job);
        job = await StoredAsync(job);
        Assert.Equal(DeliveryStatus.Pending, job.Status);
        Assert.InRange(job.NextAttemptAt - _time.GetUtcNow(), BaseDelay, BaseDelay * 2);

        // Attempt 3 of 3: failed, with the sentence.
        _time.SetUtcNow(job.NextAttemptAt);
        _talkNTalk.AnswerNextSend(HttpStatusCode.ServiceUnavailable, "maintenance");
        await RunAsync(job);
        job = await StoredAsync(job);
        Assert.Equal(3, _talkNTalk.Sent.Count);
        Assert.Equal(DeliveryStatus.Failed, job.Status);
        Assert.Equal("WhatsApp was unavailable (HTTP 503) (WhatsApp API said: maintenance) after 3 attempts; the message was not sent. Try again later.", job.Error);
        Assert.True((await _store.GetForwardAsync(job.ForwardId, CancellationToken.None))!.OutcomeReady);
    }

    [Fact]
    public async Task Run_NotTakenWithRetryAfter_WaitsExactlyThatLong()
    {
        var job = await AcceptAsync("hello");
        _talkNTalk.AnswerNextSend(HttpStatusCode.TooManyRequests, "slow down", TimeSpan.FromSeconds(40));

        await RunAsync(job);

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(40), (await StoredAsync(job)).NextAttemptAt);
    }

    [Fact]
    public async Task Run_Rejected_FailsAtOnceWithTheSentence()
    {
        var job = await AcceptAsync("hello");
        _talkNTalk.AnswerNextSend(HttpStatusCode.BadRequest, "to must end in @g.us");

        await RunAsync(job);

        var stored = await StoredAsync(job);
        Assert.Equal(DeliveryStatus.Failed, stored.Status);
        Assert.StartsWith("WhatsApp refused the message as invalid (WhatsApp API said: to must end in @g.us).", stored.Error);
        Assert.Single(_talkNTalk.Sent);
        Assert.Equal(nameof(TalkNTalkFailure.Rejected), Assert.Single(stored.Attempts).Outcome);
    }

    public static TheoryData<string> UnknownAnswers => ["connection lost", "no message_id"];

    [Theory]
    [MemberData(nameof(UnknownAnswers))]
    public async Task Run_Unknown_IsPossiblyDeliveredAndNeverRetried(string answer)
    {
        var job = await AcceptAsync("hello");
        if (answer == "connection lost")
        {
            _talkNTalk.FailNextSend(new HttpRequestException("reset", null, HttpStatusCode.InternalServerError));
        }
        else
        {
            _talkNTalk.AnswerNextSendWithoutMessageId();
        }

        await RunAsync(job);

        var stored = await StoredAsync(job);
        Assert.Equal(DeliveryStatus.Unknown, stored.Status);
        Assert.StartsWith("The WhatsApp API did not confirm the send", stored.Error);
        Assert.Contains("may or may not have been delivered", stored.Error);
        Assert.Single(_talkNTalk.Sent);
        Assert.True((await _store.GetForwardAsync(job.ForwardId, CancellationToken.None))!.OutcomeReady);
    }

    [Fact]
    public async Task Run_HeldBackByTheCircuit_WaitsItOutWithoutUsingAnAttempt()
    {
        // The stub throws what Polly's circuit breaker throws in the client's pipeline; the client turns it into HeldBack.
        var job = await AcceptAsync("hello");
        _talkNTalk.FailNextSend(new BrokenCircuitException("open"));

        await RunAsync(job, maxSendAttempts: 1);

        job = await StoredAsync(job);
        Assert.Equal(DeliveryStatus.Pending, job.Status);
        Assert.Equal(_time.GetUtcNow() + CircuitBreak, job.NextAttemptAt);
        Assert.Equal(DeliveryAttempt.Deferred, Assert.Single(job.Attempts).Outcome);

        // The one attempt allowed is still there: a send that is not taken now fails "after 1 attempt".
        _time.SetUtcNow(job.NextAttemptAt);
        _talkNTalk.AnswerNextSend(HttpStatusCode.ServiceUnavailable, "");
        await RunAsync(job, maxSendAttempts: 1);
        job = await StoredAsync(job);
        Assert.Equal(DeliveryStatus.Failed, job.Status);
        Assert.Contains("after 1 attempt;", job.Error);
    }

    [Fact]
    public async Task Run_TextAndFiles_SendsThePartsInOrderWithTheCaptionOnTheFirstFile()
    {
        var job = await AcceptAsync("look", Image("a.png"), Video("b.mp4"));

        await RunAsync(job);

        Assert.Equal(
            [("image", "look", "https://bridge.test/media/0?sig=x"), ("video", null, "https://bridge.test/media/1?sig=x")],
            _talkNTalk.Sent.Select(m => (m.Type, m.Message, m.Url)));
        var stored = await StoredAsync(job);
        Assert.Equal(DeliveryStatus.Delivered, stored.Status);
        Assert.Equal(["msg-1", "msg-2"], stored.MessageIds);
    }

    [Fact]
    public async Task Run_FileThatCannotBeFetched_TheCaptionGoesAloneAndTheOtherFilesStillGo()
    {
        var job = await AcceptAsync("look", Image("a.png"), Video("b.mp4"));
        _media.Unfetchable.Add(0);

        await RunAsync(job);

        Assert.Equal([("text", "look"), ("video", null)], _talkNTalk.Sent.Select(m => (m.Type, m.Message)));
        var stored = await StoredAsync(job);
        Assert.Equal(DeliveryStatus.Delivered, stored.Status);
        Assert.Empty(stored.SkippedParts);
        Assert.Equal(["a.png could not be fetched."], stored.MissingFiles);
    }

    [Fact]
    public async Task Run_FileWithoutTextThatCannotBeFetched_IsSkippedAndTheNextFileGoes()
    {
        var job = await AcceptAsync("", Image("a.png"), Video("b.mp4"));
        _media.Unfetchable.Add(0);

        await RunAsync(job);

        Assert.Equal("video", Assert.Single(_talkNTalk.Sent).Type);
        var stored = await StoredAsync(job);
        Assert.Equal(DeliveryStatus.Delivered, stored.Status);
        Assert.Equal([0], stored.SkippedParts);
        Assert.Equal(["msg-1"], stored.MessageIds);
    }

    [Fact]
    public async Task Run_OnlyFileCannotBeFetched_FailsNamingIt()
    {
        var job = await AcceptAsync("", Image("a.png"));
        _media.Unfetchable.Add(0);

        await RunAsync(job);

        Assert.Empty(_talkNTalk.Sent);
        var stored = await StoredAsync(job);
        Assert.Equal(DeliveryStatus.Failed, stored.Status);
        Assert.Equal("a.png could not be fetched.", stored.Error);
    }

    [Fact]
    public async Task Run_HostStopsDuringASend_TheSendGetsStopGraceThenIsReportedPossiblyDelivered()
    {
        var job = await AcceptAsync("hello");
        var answer = _talkNTalk.HoldSendsTo("g1@g.us");
        using var stopping = new CancellationTokenSource();
        var run = RunAsync(job, stoppingToken: stopping.Token);
        await _talkNTalk.WaitForSendsAsync(1);

        await stopping.CancelAsync();
        _time.Advance(JobRunner.StopGrace - TimeSpan.FromMilliseconds(1));
        Assert.False(run.IsCompleted);
        Assert.Equal(DeliveryStatus.Sending, (await StoredAsync(job)).Status);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await run;
        var stored = await StoredAsync(job);
        Assert.Equal(DeliveryStatus.Unknown, stored.Status);
        Assert.Equal(DeliveryWorker.InterruptedSendError, stored.Error);
        Assert.Equal(DeliveryAttempt.Interrupted, Assert.Single(stored.Attempts).Outcome);
        Assert.True((await _store.GetForwardAsync(job.ForwardId, CancellationToken.None))!.OutcomeReady);
        answer.SetResult();
    }

    [Fact]
    public async Task Run_StoreFailsToMarkSending_NothingIsSentAndTheJobStaysPending()
    {
        var job = await AcceptAsync("hello");

        await Assert.ThrowsAsync<IOException>(() => RunAsync(job, store: new FailingJobUpdatesStore(_store, failures: 1)));

        Assert.Empty(_talkNTalk.Sent);
        Assert.Equal(DeliveryStatus.Pending, job.Status);
        Assert.Equal(DeliveryStatus.Pending, (await StoredAsync(job)).Status);
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _talkNTalk.Dispose();
    }

    private async Task RunAsync(DeliveryJob job, int maxSendAttempts = 3, CancellationToken stoppingToken = default, IForwardStore? store = null)
    {
        var runner = new JobRunner(
            store ?? _store,
            _talkNTalk.Client(),
            _media,
            new DeliverySignal(),
            _pendingJobs,
            _metrics,
            _time,
            Options.Create(new DeliveryOptions { RetryBaseDelay = BaseDelay, RetryMaxDelay = TimeSpan.FromMinutes(5) }),
            Options.Create(new WhatsAppOptions { CircuitBreakDuration = CircuitBreak, MaxSendAttempts = maxSendAttempts }),
            NullLogger<JobRunner>.Instance);
        await runner.RunAsync(job, stoppingToken);
    }

    private async Task<DeliveryJob> AcceptAsync(string text, params Attachment[] attachments)
    {
        var forward = new Forward { Platform = Platform.Slack, WorkspaceId = "T1", ChannelId = "C1", Text = text, Attachments = [.. attachments], CreatedAt = _time.GetUtcNow() };
        var link = new ChannelLink { Platform = Platform.Slack, WorkspaceId = "T1", ChannelId = "C1", SessionId = "s1", GroupId = "g1@g.us", GroupName = "Ops" };
        await _store.AcceptAsync(forward, [link], null, CancellationToken.None);
        var job = Assert.Single(await _store.GetJobsAsync(forward.Id, CancellationToken.None));
        _pendingJobs.Add(job.GroupKey, job.Id);
        return job;
    }

    private async Task<DeliveryJob> StoredAsync(DeliveryJob job) => (await _store.GetJobAsync(job.Id, CancellationToken.None))!;

    private static Attachment Image(string name) => new() { Name = name, MimeType = "image/png", Kind = MediaKind.Image };

    private static Attachment Video(string name) => new() { Name = name, MimeType = "video/mp4", Kind = MediaKind.Video };
}
