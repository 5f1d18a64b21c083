using Bridge.Delivery;
using Bridge.Forwarding;
using Bridge.UnitTests.Infrastructure;
using Bridge.UnitTests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.UnitTests.Delivery;

public sealed class ReplyPosterTests
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(2);
    private const int MaxReplyAttempts = 3;

    private readonly InMemoryStore _store = new();
    private readonly DeliverySignal _signal = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Post_AnnouncedForward_PostsTheRecordThenRepliesInItsThread()
    {
        var slack = new FakeAnnouncer(Platform.Slack);
        var forward = await AcceptAsync(Platform.Slack, announce: true, outcomeReady: true);

        var posted = await Poster(slack).PostDueRepliesAsync(CancellationToken.None);

        Assert.Equal(1, posted);
        Assert.Equal([1], slack.Announcements);
        var reply = Assert.Single(slack.Replies);
        Assert.Equal(slack.ThreadId, reply.ThreadId);
        Assert.Contains("Ops", reply.Text);
        var stored = await StoredAsync(forward);
        Assert.Equal(slack.ThreadId, stored.Reply.ThreadId);
        Assert.Equal(ReplyState.Replied, stored.ReplyState);
        Assert.Equal(ReplyRoute.Thread, stored.ReplyRoute);
        Assert.Equal(_time.GetUtcNow(), stored.RepliedAt);
    }

    [Fact]
    public async Task Post_AnnouncedForwardStillSending_PostsOnlyTheRecord()
    {
        var slack = new FakeAnnouncer(Platform.Slack);
        var forward = await AcceptAsync(Platform.Slack, announce: true, outcomeReady: false);

        await Poster(slack).PostDueRepliesAsync(CancellationToken.None);

        Assert.Single(slack.Announcements);
        Assert.Empty(slack.Replies);
        var stored = await StoredAsync(forward);
        Assert.Equal(ReplyState.Pending, stored.ReplyState);
        Assert.False(stored.RecordPending);
    }

    [Fact]
    public async Task Post_TeamsLikeReplier_RepliesOnly()
    {
        var teams = new FakeReplier(Platform.Teams) { Route = ReplyRoute.Chat };
        var forward = await AcceptAsync(Platform.Teams, announce: false, outcomeReady: true);

        await Poster(teams).PostDueRepliesAsync(CancellationToken.None);

        Assert.False(Assert.Single(teams.Replies).LastAttempt);
        var stored = await StoredAsync(forward);
        Assert.Equal(ReplyState.Replied, stored.ReplyState);
        Assert.Equal(ReplyRoute.Chat, stored.ReplyRoute);
    }

    [Fact]
    public async Task Post_Failure_IsRetriedAfterTheBackoffOnTheClock()
    {
        var teams = new FakeReplier(Platform.Teams);
        teams.Failures.Enqueue(new ReplyException("conversation busy"));
        var forward = await AcceptAsync(Platform.Teams, announce: false, outcomeReady: true);
        var poster = Poster(teams);

        Assert.Equal(0, await poster.PostDueRepliesAsync(CancellationToken.None));
        var stored = await StoredAsync(forward);
        Assert.Equal((ReplyState.Pending, 1, "conversation busy"), (stored.ReplyState, stored.ReplyAttempts, stored.ReplyError));
        Assert.InRange(stored.NextReplyAt!.Value - _time.GetUtcNow(), BaseDelay / 2, BaseDelay);

        // Not due before NextReplyAt.
        await poster.PostDueRepliesAsync(CancellationToken.None);
        Assert.Single(teams.Replies);

        _time.SetUtcNow(stored.NextReplyAt.Value);
        Assert.Equal(1, await poster.PostDueRepliesAsync(CancellationToken.None));
        Assert.Equal(2, teams.Replies.Count);
        stored = await StoredAsync(forward);
        Assert.Equal(ReplyState.Replied, stored.ReplyState);
        Assert.Null(stored.ReplyError);
    }

    [Fact]
    public async Task Post_RetryAfter_WaitsThatLong()
    {
        var teams = new FakeReplier(Platform.Teams);
        teams.Failures.Enqueue(new ReplyException("throttled", TimeSpan.FromSeconds(30)));
        var forward = await AcceptAsync(Platform.Teams, announce: false, outcomeReady: true);

        await Poster(teams).PostDueRepliesAsync(CancellationToken.None);

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(30), (await StoredAsync(forward)).NextReplyAt);
    }

    [Fact]
    public async Task Post_FinalRefusal_FailsAtOnce()
    {
        var slack = new FakeAnnouncer(Platform.Slack);
        slack.Failures.Enqueue(new ReplyException("channel_not_found; response_url expired", final: true));
        var forward = await AcceptAsync(Platform.Slack, announce: false, outcomeReady: true);

        await Poster(slack).PostDueRepliesAsync(CancellationToken.None);

        var stored = await StoredAsync(forward);
        Assert.Equal((ReplyState.Failed, 1, "channel_not_found; response_url expired"), (stored.ReplyState, stored.ReplyAttempts, stored.ReplyError));
    }

    [Fact]
    public async Task Post_FailingEveryTime_TellsTheLastTryAndFailsAfterMaxReplyAttempts()
    {
        var teams = new FakeReplier(Platform.Teams);
        for (var i = 0; i < MaxReplyAttempts; i++)
        {
            teams.Failures.Enqueue(new InvalidOperationException("boom"));
        }

        var forward = await AcceptAsync(Platform.Teams, announce: false, outcomeReady: true);
        var poster = Poster(teams);
        for (var i = 0; i < MaxReplyAttempts; i++)
        {
            await poster.PostDueRepliesAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromMinutes(10));
        }

        await poster.PostDueRepliesAsync(CancellationToken.None);

        Assert.Equal([false, false, true], teams.Replies.Select(r => r.LastAttempt));
        var stored = await StoredAsync(forward);
        // Not a ReplyException: only the type is recorded, never a message that might carry a secret.
        Assert.Equal((ReplyState.Failed, MaxReplyAttempts, "InvalidOperationException"), (stored.ReplyState, stored.ReplyAttempts, stored.ReplyError));
    }

    [Fact]
    public async Task Post_NoReplierForThePlatform_Fails()
    {
        var slack = new FakeAnnouncer(Platform.Slack);
        var forward = await AcceptAsync(Platform.Teams, announce: false, outcomeReady: true);

        Assert.Equal(0, await Poster(slack).PostDueRepliesAsync(CancellationToken.None));

        Assert.Empty(slack.Replies);
        Assert.Equal(ReplyState.Failed, (await StoredAsync(forward)).ReplyState);
    }

    [Fact]
    public async Task Post_OneReplyHangs_AForwardDueMeanwhileIsRepliedWithoutWaitingForIt()
    {
        var teams = new FakeReplier(Platform.Teams);
        var stalled = await AcceptAsync(Platform.Teams, announce: false, outcomeReady: true);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        teams.BeforeAnswer = forward => forward.Id == stalled.Id ? answer.Task : Task.CompletedTask;

        var posting = Poster(teams).PostDueRepliesAsync(CancellationToken.None);
        await teams.WaitForRepliesAsync(1);
        var next = await AcceptAsync(Platform.Teams, announce: false, outcomeReady: true);
        _signal.Notify(); // as an accept or a finished job does

        await teams.WaitForRepliesAsync(2);
        Assert.False(posting.IsCompleted);
        answer.SetResult();
        Assert.Equal(2, await posting);
        Assert.Equal(ReplyState.Replied, (await StoredAsync(next)).ReplyState);
        Assert.Equal(ReplyState.Replied, (await StoredAsync(stalled)).ReplyState);
    }

    private ReplyPoster Poster(params IThreadReplier[] repliers) => new(
        _store,
        new ReplicaId("test-replica"),
        repliers,
        _signal,
        new StoreAvailability(),
        _time,
        Options.Create(new DeliveryOptions { RetryBaseDelay = BaseDelay, RetryMaxDelay = TimeSpan.FromMinutes(5), MaxReplyAttempts = MaxReplyAttempts }),
        NullLogger<ReplyPoster>.Instance);

    private async Task<Forward> AcceptAsync(Platform platform, bool announce, bool outcomeReady)
    {
        var forward = new Forward { Platform = platform, WorkspaceId = "T1", ChannelId = "C1", Text = "hello", Announce = announce, CreatedAt = _time.GetUtcNow() };
        var link = new ChannelLink { Platform = platform, WorkspaceId = "T1", ChannelId = "C1", SessionId = "s1", GroupId = "g1@g.us", GroupName = "Ops" };
        await _store.AcceptAsync(forward, [link], null, CancellationToken.None);
        if (outcomeReady)
        {
            var job = Assert.Single(await _store.GetJobsAsync(forward.Id, CancellationToken.None));
            job.Status = DeliveryStatus.Delivered;
            job.MessageIds.Add("msg-1");
            await _store.UpdateJobAsync(job, CancellationToken.None);
            await _store.UpdateForwardAsync(forward.Id, f => f.OutcomeReady = true, CancellationToken.None);
        }

        return forward;
    }

    private async Task<Forward> StoredAsync(Forward forward) => (await _store.GetForwardAsync(forward.Id, CancellationToken.None))!;
}
