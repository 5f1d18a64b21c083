using Bridge.Forwarding;
using Bridge.Storage;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Delivery;

public sealed class RestartTests
{
    [Fact]
    public async Task Jobs_accepted_before_a_restart_are_delivered_after_it_once_each()
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");

        // First run: WhatsApp refuses to take anything, so every job is still pending when Bridge stops.
        whatsApp.SendBehavior = _ => new FakeAnswer(503);
        await using (var first = await StartAsync(whatsApp, slack, database))
        {
            first.Settings["WhatsApp:MaxSendAttempts"] = "50"; // however slow this machine, no job runs out of attempts
            await first.LinkAsync();
            for (var i = 0; i < 5; i++)
            {
                await first.SlashCommandAsync($"before restart {i}");
            }

            Assert.Equal(5, (await first.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)).Count(j => !j.IsFinished));
        }

        whatsApp.SendBehavior = null;
        await using var second = await StartAsync(whatsApp, slack, database);
        _ = second.Services; // starts the host and its delivery worker

        await whatsApp.WaitForSendsAsync(5);
        await slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) == 5);
        var delivered = whatsApp.Sends.Where(s => s.Answer == 201).Select(s => s.Message).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"before restart {i}"), delivered);
        Assert.All(await second.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default), j => Assert.Equal(DeliveryStatus.Delivered, j.Status));
    }

    [Fact]
    public async Task A_send_interrupted_by_a_crash_is_reported_as_possibly_delivered_not_repeated()
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");

        // A store left as a crash mid-send leaves it: the job was marked Sending and never finished.
        await SeedJobAsync(database, "in flight", [], job => job.Status = DeliveryStatus.Sending);

        await using var app = await StartAsync(whatsApp, slack, database);
        _ = app.Services;

        await slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs == "1767223000.000200"));
        var reply = slack.Posts.Single(p => p.ThreadTs == "1767223000.000200");
        Assert.Contains("⚠️ Possibly delivered to WhatsApp group Field Team: Bridge stopped while this message was being sent", reply.Text);
        Assert.Empty(whatsApp.Sends);
        Assert.Equal(DeliveryStatus.Unknown, Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)).Status);
    }

    [Fact]
    public async Task A_job_resumed_after_a_failed_file_neither_repeats_its_text_nor_fetches_that_file_again()
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");
        var image = new byte[] { 137, 80, 78, 71 };
        const string Missing = "dock.png could not be fetched: Slack answered HTTP 404.";

        // Bridge stopped after part 0 (dock.png, which failed, so its caption went alone as a text) and before part 1.
        await SeedJobAsync(database, "Two views",
            [
                new Attachment { Name = "dock.png", MimeType = "image/png", Kind = MediaKind.Image, SourceUrl = slack.FileUrl("dock.png") },
                new Attachment { Name = "gate.png", MimeType = "image/png", Kind = MediaKind.Image, SourceUrl = slack.AddFile("gate.png", image, "image/png") },
            ],
            job =>
            {
                job.MessageIds.Add("3EB0TEXTSENTBEFORE");
                job.Attempts.Add(new DeliveryAttempt(job.CreatedAt, 0, DeliveryAttempt.MediaFailed, null, Missing));
            });

        await using var app = await StartAsync(whatsApp, slack, database);
        _ = app.Services;

        await slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs == "1767223000.000200"));
        var send = Assert.Single(whatsApp.Sends);
        Assert.Equal(("image", (string?)null), (send.Type, send.Message));
        Assert.Equal(["/T08ABCD1234-F0000000001/download/gate.png"], slack.FileRequests.Select(r => "/" + r.Path));
        var reply = slack.Posts.Single(p => p.ThreadTs == "1767223000.000200");
        Assert.Equal($"✅ Sent to WhatsApp group Field Team: message_id 3EB0TEXTSENTBEFORE, {send.MessageId}\n⚠️ {Missing}", reply.Text);
    }

    [Fact]
    public async Task A_graceful_stop_lets_a_send_in_flight_finish_and_records_it()
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");
        // The fake answers a second after the send on a clock that only the stop moves (BridgeApp.DisposeAsync), so
        // the send is still in flight when the stop begins; the timeout is far beyond that second. The second is on the
        // clock before the stop starts moving it, so it ends well within the stop's grace.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var answerTimed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        whatsApp.BeforeSend = () =>
        {
            var second = Task.Delay(TimeSpan.FromSeconds(1), clock);
            answerTimed.TrySetResult();
            return second;
        };

        await using (var first = await StartAsync(whatsApp, slack, database))
        {
            first.Time = clock;
            first.Settings["WhatsApp:Timeout"] = "00:10:00";
            await first.LinkAsync();
            await first.SlashCommandAsync("in flight at shutdown");
            await answerTimed.Task;
        }

        using var store = new LiteDbStore(database);
        var job = Assert.Single(await store.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Equal(DeliveryStatus.Delivered, job.Status);
        Assert.Equal(whatsApp.Sends.Single().MessageId, Assert.Single(job.MessageIds));
    }

    /// <summary>A store as Bridge left it when it stopped: one linked channel, one forward, its job changed by <paramref name="state"/>.</summary>
    private static async Task SeedJobAsync(string database, string text, List<Attachment> attachments, Action<DeliveryJob> state)
    {
        using var store = new LiteDbStore(database);
        var link = new ChannelLink
        {
            Platform = Bridge.Forwarding.Platform.Slack, WorkspaceId = "T08ABCD1234", ChannelId = "C08QWERTY12",
            SessionId = FakeTalkNTalk.DefaultSessionId, GroupId = "120363410923125768@g.us", GroupName = "Field Team",
        };
        await store.AddLinkAsync(link, default);
        var forward = new Forward
        {
            Platform = Bridge.Forwarding.Platform.Slack, WorkspaceId = "T08ABCD1234", ChannelId = "C08QWERTY12", UserId = "U07ZXCVB456",
            Text = text, Reply = new ReplyTarget { ConversationId = "C08QWERTY12", ThreadId = "1767223000.000200" },
            CreatedAt = DateTimeOffset.UtcNow,
            Attachments = attachments,
        };
        await store.AcceptAsync(forward, [link], null, default);
        var job = (await store.GetJobsAsync(forward.Id, default)).Single();
        state(job);
        await store.UpdateJobAsync(job, default);
    }

    private static async Task<BridgeApp> StartAsync(FakeTalkNTalk whatsApp, FakeSlackApi slack, string database) =>
        await BridgeApp.StartAsync(whatsApp, slack, database);
}
