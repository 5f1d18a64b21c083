using Bridge.Admin;
using Bridge.Forwarding;
using Bridge.Storage;
using Bridge.Tests.Infrastructure;
using LiteDB;

namespace Bridge.Tests.Delivery;

public sealed class StoredReplyTests
{
    [Fact]
    public async Task Forwards_stored_before_reply_routes_existed_load_and_show_as_replied()
    {
        var path = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        // The rows as an earlier Bridge wrote them: no ReplyRoute, ReplyError, PostInFlight or ResponseUrlUses.
        using (var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }))
        {
            db.GetCollection("forwards").Insert(new BsonDocument
            {
                ["_id"] = "f1", ["Platform"] = "Slack", ["WorkspaceId"] = "T1", ["ChannelId"] = "C1", ["UserId"] = "U1",
                ["UserName"] = "maria", ["Text"] = "Hello", ["Attachments"] = new BsonArray(), ["Notes"] = new BsonArray(),
                ["Reply"] = new BsonDocument { ["ConversationId"] = "C1", ["ThreadId"] = "1767225700.000100", ["ServiceUrl"] = "https://hooks.slack.com/x" },
                ["Announce"] = true, ["OutcomeReady"] = true, ["ReplyState"] = "Replied", ["ReplyAttempts"] = 0,
                ["CreatedAt"] = at, ["RepliedAt"] = at,
            });
            InsertDeliveredJob(db, "T1", at);
        }

        using var store = new LiteDbStore(path);
        var forward = (await store.GetForwardAsync("f1", default))!;
        var view = DeliveryView.From((await store.GetJobAsync(1, default))!, forward, retriedAs: null, channelName: null);

        Assert.Equal((ReplyState.Replied, ReplyRoute.None, false, 0, null), (forward.ReplyState, forward.ReplyRoute, forward.PostInFlight, forward.ResponseUrlUses, forward.ReplyError));
        Assert.Equal(("Delivered", "replied"), (view.Status, view.Reply));
        // A row older than retries is no retry.
        Assert.Equal((null, null), (view.RetryOf, view.RetriedBy));
    }

    [Fact]
    public async Task A_Slack_forward_stored_with_its_response_url_in_ServiceUrl_and_the_old_private_thread_still_answers_there()
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var at = DateTimeOffset.UtcNow.UtcTicks;
        // A row as the previous Bridge wrote it: response_url in ServiceUrl, the private thread stored as "response_url".
        using (var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }))
        {
            db.GetCollection("forwards").Insert(new BsonDocument
            {
                ["_id"] = "f1", ["Platform"] = "Slack", ["WorkspaceId"] = "T08ABCD1234", ["ChannelId"] = "C1", ["UserId"] = "U1",
                ["UserName"] = "maria", ["Text"] = "Hello", ["Attachments"] = new BsonArray(), ["Notes"] = new BsonArray(),
                ["Reply"] = new BsonDocument { ["ConversationId"] = "C1", ["ThreadId"] = "response_url", ["ServiceUrl"] = slack.ResponseUrl("old") },
                ["Announce"] = true, ["OutcomeReady"] = true, ["ReplyState"] = "Pending", ["ReplyAttempts"] = 0,
                ["NextReplyAt"] = at, ["CreatedAt"] = at,
            });
            InsertDeliveredJob(db, "T08ABCD1234", at);
        }

        await using (var app = await BridgeApp.StartAsync(whatsApp, slack, path))
        {
            _ = app.Services; // starts the host, whose worker finds the pending reply

            await slack.WaitForResponsesAsync(1);
            Assert.Equal("old", Assert.Single(slack.Responses).Id);
            Assert.Contains("✅", slack.Responses[0].Text);
            Assert.Empty(slack.PostCalls);
        }

        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Theory]
    [InlineData("response_url")]
    [InlineData("private")]
    public async Task Old_Slack_rows_read_with_one_meaning_per_field_and_Teams_rows_keep_their_service_url(string oldPrivateThread)
    {
        var path = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var at = DateTimeOffset.UtcNow.UtcTicks;
        // As earlier versions wrote them: Slack's response_url in ServiceUrl and a sentinel thread id for "reply privately".
        using (var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }))
        {
            var forwards = db.GetCollection("forwards");
            forwards.Insert(OldForward("slack-private", "Slack", new BsonDocument { ["ConversationId"] = "C1", ["ThreadId"] = oldPrivateThread, ["ServiceUrl"] = "https://hooks.slack.com/commands/1" }, at));
            forwards.Insert(OldForward("slack-thread", "Slack", new BsonDocument { ["ConversationId"] = "C1", ["ThreadId"] = "1767225700.000100", ["ServiceUrl"] = "https://hooks.slack.com/commands/2" }, at));
            forwards.Insert(OldForward("teams", "Teams", new BsonDocument { ["ConversationId"] = "19:c@thread.tacv2", ["ThreadId"] = "1767225600001", ["ServiceUrl"] = "https://smba.trafficmanager.net/emea/" }, at));
        }

        using (var store = new LiteDbStore(path))
        {
            var slackPrivate = (await store.GetForwardAsync("slack-private", default))!.Reply;
            Assert.Equal((null, true, null, "https://hooks.slack.com/commands/1"),
                (slackPrivate.ThreadId, slackPrivate.RepliesPrivately, slackPrivate.ServiceUrl, slackPrivate.ResponseUrl));
            var slackThread = (await store.GetForwardAsync("slack-thread", default))!.Reply;
            Assert.Equal(("1767225700.000100", false, null, "https://hooks.slack.com/commands/2"),
                (slackThread.ThreadId, slackThread.RepliesPrivately, slackThread.ServiceUrl, slackThread.ResponseUrl));
            var teams = (await store.GetForwardAsync("teams", default))!.Reply;
            Assert.Equal(("1767225600001", false, "https://smba.trafficmanager.net/emea/", null),
                (teams.ThreadId, teams.RepliesPrivately, teams.ServiceUrl, teams.ResponseUrl));
            // A private forward is not announced again: its record was never in the channel.
            Assert.DoesNotContain(await store.ClaimForwardsToReplyAsync("replica-1", DateTimeOffset.UtcNow.AddMinutes(1), DateTimeOffset.UtcNow.AddMinutes(3), 10, default), f => f.Id == "slack-private");
            // The next update writes the new shape.
            await store.UpdateForwardAsync("slack-private", f => f.ReplyAttempts = 1, default);
        }

        using (var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }))
        {
            var reply = db.GetCollection("forwards").FindById("slack-private")["Reply"].AsDocument;
            Assert.Equal((BsonValue.Null, true, BsonValue.Null), (reply["ThreadId"], reply["RepliesPrivately"].AsBoolean, reply["ServiceUrl"]));
        }

        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    /// <summary>A Slack slash command's forward (announced, outcome not ready) as an earlier Bridge wrote it.</summary>
    private static BsonDocument OldForward(string id, string platform, BsonDocument reply, long at) => new()
    {
        ["_id"] = id, ["Platform"] = platform, ["WorkspaceId"] = "T1", ["ChannelId"] = "C1", ["UserId"] = "U1",
        ["UserName"] = "maria", ["Text"] = "Hello", ["Attachments"] = new BsonArray(), ["Notes"] = new BsonArray(),
        ["Reply"] = reply, ["Announce"] = platform == "Slack", ["OutcomeReady"] = false, ["ReplyState"] = "Pending", ["ReplyAttempts"] = 0,
        ["CreatedAt"] = at,
    };

    /// <summary>A delivered job of forward f1, as an earlier Bridge wrote it.</summary>
    private static void InsertDeliveredJob(LiteDatabase db, string workspaceId, long at) =>
        db.GetCollection("jobs").Insert(new BsonDocument
        {
            ["_id"] = 1L, ["ForwardId"] = "f1", ["Platform"] = "Slack", ["WorkspaceId"] = workspaceId, ["ChannelId"] = "C1", ["UserId"] = "U1",
            ["SessionId"] = "s1", ["GroupId"] = "g1@g.us", ["GroupName"] = "Field Team", ["Status"] = "Delivered",
            ["MessageIds"] = new BsonArray { "m1" }, ["Attempts"] = new BsonArray(), ["NextAttemptAt"] = at, ["CreatedAt"] = at, ["UpdatedAt"] = at,
        });
}
