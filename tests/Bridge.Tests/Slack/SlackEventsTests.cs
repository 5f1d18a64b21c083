using System.Net;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Slack;

public sealed class SlackEventsTests
{
    private const string ThreadTs = "1767223000.000200";

    [Fact]
    public async Task Url_verification_is_answered_with_the_challenge()
    {
        await using var app = await BridgeApp.StartAsync();

        var response = await app.PostEventAsync(Fixtures.Read("slack-events-url-verification.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("p8Kq3LzR7vW1xY4mN6bT9cF2hJ5dG0sA3eU8iO1kP7wQ", (string?)body["challenge"]);
    }

    [Fact]
    public async Task An_unsigned_event_is_refused()
    {
        await using var app = await BridgeApp.StartAsync();
        using var request = SlackRequests.Signed("/slack/events", Fixtures.Read("slack-events-url-verification.json"), "application/json",
            timestamp: Fixtures.Timestamp);

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_mention_in_a_thread_sends_the_text_and_answers_in_that_thread()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();

        var response = await app.PostEventAsync(Fixtures.Read("slack-events-app-mention.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = await SlackShortcutTests.ReplyInThreadAsync(app, ThreadTs);
        // The command's own answer and the delivery outcome are posted independently, in either order.
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith("Sending", StringComparison.Ordinal)));
        var send = Assert.Single(app.WhatsApp.Sends);
        Assert.Equal("text", send.Type);
        Assert.Equal("forward to field-team: *Truck 12* & Truck 14 cleared", send.Message);
        Assert.All(app.Slack.Posts, p => Assert.Equal((ThreadTs, "C08QWERTY12"), (p.ThreadTs, p.Channel)));
        Assert.Contains(app.Slack.Posts, p => p.Text.StartsWith("Sending to WhatsApp group Field Team", StringComparison.Ordinal));
        Assert.Contains($"message_id {send.MessageId}", outcome.Text);
    }

    [Fact]
    public async Task An_events_retry_is_not_sent_twice()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var json = Fixtures.Read("slack-events-app-mention.json");
        await app.PostEventAsync(json);

        var retry = await app.PostEventAsync(json, retryNum: 1);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        // The retry is answered from the stored forward; the outcome of the one send follows in the thread.
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith('✅'))
            && posts.Any(p => p.Text.StartsWith("Sending", StringComparison.Ordinal))
            && posts.Any(p => p.Text.StartsWith("This message was already sent to WhatsApp", StringComparison.Ordinal)));
        Assert.Single(app.WhatsApp.Sends);
        Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Single(app.Slack.Posts, p => p.Text.StartsWith("Sending", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mention_retried_after_a_crash_between_the_ack_and_the_accept_is_sent()
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");
        var mention = JsonNode.Parse(Fixtures.Read("slack-events-app-mention.json"))!;
        // A Slack Connect file: building the forward asks files.info, which holds the mention past its ack until the crash.
        mention["event"]!["files"] = new JsonArray(new JsonObject { ["id"] = "F0SLOW00001", ["mode"] = "file_access", ["file_access"] = "check_file_info" });
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        slack.BeforeCall = method =>
        {
            if (method != "files.info")
            {
                return Task.CompletedTask;
            }

            asked.TrySetResult();
            return new TaskCompletionSource().Task;
        };

        await using (var crashed = await BridgeApp.StartAsync(whatsApp, slack, database))
        {
            await crashed.LinkAsync();
            Assert.Equal(HttpStatusCode.OK, (await crashed.PostEventAsync(mention.ToJsonString())).StatusCode);
            await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        slack.BeforeCall = null;
        await using var restarted = await BridgeApp.StartAsync(whatsApp, slack, database);
        Assert.Empty(await restarted.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)); // the crash came before the accept

        Assert.Equal(HttpStatusCode.OK, (await restarted.PostEventAsync(mention.ToJsonString(), retryNum: 1)).StatusCode);

        await SlackShortcutTests.ReplyInThreadAsync(restarted, ThreadTs);
        Assert.Equal("forward to field-team: *Truck 12* & Truck 14 cleared", Assert.Single(whatsApp.Sends).Message);
    }

    [Fact]
    public async Task The_same_mention_delivered_twice_at_once_records_one_forward()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var json = Fixtures.Read("slack-events-app-mention.json");

        var answers = await Task.WhenAll(app.PostEventAsync(json), app.PostEventAsync(json, retryNum: 1));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith('✅')));
        Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Single(app.WhatsApp.Sends);
    }

    [Fact]
    public async Task A_mention_outside_a_thread_answers_under_the_mention_with_the_at_usage()
    {
        await using var app = await BridgeApp.StartAsync();
        var mention = JsonNode.Parse(Fixtures.Read("slack-events-app-mention.json"))!;
        mention["event_id"] = "Ev08MENTION02";
        mention["event"]!["text"] = "<@U08BOTUSER9> help";
        mention["event"]!.AsObject().Remove("thread_ts");

        await app.PostEventAsync(mention.ToJsonString());

        await app.Slack.WaitForPostsAsync(posts => posts.Count > 0);
        var post = Assert.Single(app.Slack.Posts);
        Assert.Equal("1767225800.000300", post.ThreadTs);
        Assert.Contains("@Bridge send &lt;text&gt;", post.Text);
    }

    [Fact]
    public async Task A_mention_with_only_a_file_sends_the_file()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var bytes = SlackShortcutTests.RandomBytes(900);
        var mention = JsonNode.Parse(Fixtures.Read("slack-events-app-mention.json"))!;
        mention["event_id"] = "Ev08MENTION03";
        mention["event"]!["text"] = "<@U08BOTUSER9>";
        mention["event"]!["files"] = new JsonArray(SlackPayloads.File("dock.png", "image/png", bytes.Length, app.Slack.AddFile("dock.png", bytes, "image/png")));

        await app.PostEventAsync(mention.ToJsonString());

        await app.WhatsApp.WaitForSendsAsync(1);
        var send = Assert.Single(app.WhatsApp.Sends);
        Assert.Equal(("image", "image/png"), (send.Type, send.MimeType));
        Assert.Equal(bytes, await SlackShortcutTests.FetchAsync(app, send.Url!));
    }

    [Fact]
    public async Task A_mention_in_an_unlinked_channel_asks_Slack_nothing_before_saying_so()
    {
        await using var app = await BridgeApp.StartAsync();
        app.Slack.AddUser("U08DISPATCH1", "Dispatch");
        var mention = JsonNode.Parse(Fixtures.Read("slack-events-app-mention.json"))!;
        mention["event"]!["text"] = "<@U08BOTUSER9> send for <@U08DISPATCH1>";
        // A Slack Connect file, which only files.info would describe (https://docs.slack.dev/reference/events/message/file_share).
        mention["event"]!["files"] = new JsonArray(new JsonObject { ["id"] = "F0CONNECT01", ["mode"] = "file_access", ["file_access"] = "check_file_info" });

        await app.PostEventAsync(mention.ToJsonString());

        await app.Slack.WaitForPostsAsync(posts => posts.Count > 0);
        var post = Assert.Single(app.Slack.Posts);
        Assert.Equal(ForwardOutcome.NotLinkedSentence("@Bridge"), WebUtility.HtmlDecode(post.Text));
        Assert.DoesNotContain(app.Slack.Calls, c => c.Method is "users.info" or "files.info");
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task Other_events_are_answered_200_and_ignored()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var message = JsonNode.Parse(Fixtures.Read("slack-events-app-mention.json"))!;
        message["event"]!["type"] = "reaction_added";

        var response = await app.PostEventAsync(message.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }
}
