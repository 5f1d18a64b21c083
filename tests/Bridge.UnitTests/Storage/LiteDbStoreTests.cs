using Bridge.Forwarding;
using Bridge.Storage;
using LiteDB;

namespace Bridge.UnitTests.Storage;

/// <summary>What only the LiteDB store must show: which indexes its reads use, that long reads let accepts through, its file.</summary>
public sealed class LiteDbStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 1, 5, 9, 30, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bridge-unit-tests", Guid.NewGuid().ToString("N"));
    private readonly string _path;

    public LiteDbStoreTests()
    {
        _path = Path.Combine(_directory, "bridge.db");
    }

    [Fact]
    public void Startup_reads_unfinished_jobs_and_waiting_forwards_through_their_indexes()
    {
        using var store = new LiteDbStore(_path);

        // LiteDB's plan of each query (its EXPLAIN): an index seek reads only the matching documents, never the finished history.
        Assert.Equal("INDEX SCAN(Unfinished >= \"\")", IndexMode(store.UnfinishedJobs().GetPlan()));
        Assert.Equal("INDEX SCAN(ReplyWaiting >= -1)", IndexMode(store.ForwardsWaitingForReply().GetPlan()));
    }

    [Fact]
    public void A_claim_reads_its_groups_unfinished_jobs_through_their_index()
    {
        using var store = new LiteDbStore(_path);

        var job = new DeliveryJob { Id = 42, SessionId = "s1", GroupId = "A@g.us" };

        Assert.Equal("INDEX RANGE SCAN(Unfinished BETWEEN \"s1/A@g.us/0000000000000000000\" AND \"s1/A@g.us/0000000000000000041\")",
            IndexMode(store.EarlierUnfinishedJobs(job).GetPlan()));
    }

    [Fact]
    public async Task Forwards_written_without_a_due_time_are_due_after_the_next_open()
    {
        // The index exists (a first start of this version), but the rows came from an earlier version, or from one
        // that started again after this one, or from an upgrade that stopped part-way: none has a stored due time.
        new LiteDbStore(_path).Dispose();
        using (var db = new LiteDatabase(new ConnectionString { Filename = _path, Connection = ConnectionType.Direct }))
        {
            var forwards = db.GetCollection("forwards");
            forwards.Insert(OldRow("ready", announce: false, outcomeReady: true, threadId: null));
            forwards.Insert(OldRow("to announce", announce: true, outcomeReady: false, threadId: null));
            forwards.Insert(OldRow("announced, sending", announce: true, outcomeReady: false, threadId: "1767225700.000100"));
        }

        using var store = new LiteDbStore(_path);

        Assert.Equal(["ready", "to announce"], (await store.ClaimForwardsToReplyAsync("replica-1", At.AddMinutes(1), At.AddMinutes(3), 10, default)).Select(f => f.Id).Order());
    }

    private static BsonDocument OldRow(string id, bool announce, bool outcomeReady, string? threadId) => new()
    {
        ["_id"] = id, ["Platform"] = "Slack", ["WorkspaceId"] = "T1", ["ChannelId"] = "C1", ["UserId"] = "U1", ["UserName"] = "maria",
        ["Text"] = "Hello", ["Attachments"] = new BsonArray(), ["Notes"] = new BsonArray(),
        ["Reply"] = new BsonDocument { ["ConversationId"] = "C1", ["ThreadId"] = threadId },
        ["Announce"] = announce, ["OutcomeReady"] = outcomeReady, ["ReplyState"] = "Pending", ["ReplyAttempts"] = 0,
        ["CreatedAt"] = At.UtcTicks,
    };

    [Fact]
    public void The_reply_poster_reads_due_forwards_along_their_index_without_sorting_the_backlog()
    {
        using var store = new LiteDbStore(_path);

        var plan = store.ForwardsDueForReply(At).GetPlan();

        Assert.Equal("ReplyWaiting", plan["index"]["name"].AsString);
        Assert.StartsWith("INDEX RANGE SCAN(ReplyWaiting BETWEEN", IndexMode(plan));
        Assert.False(plan.ContainsKey("orderBy"));
    }

    [Fact]
    public async Task Long_reads_go_in_slices_that_each_seek_along_the_id_index()
    {
        using var store = new LiteDbStore(_path);
        await store.AcceptAsync(NewForward("x"), [Link("A@g.us")], "slack-command:1", default);

        // A range scan of the index from a seek, ending at the limit: no full scan, no sort of the whole collection.
        var history = store.SliceBefore(1_000).GetPlan();
        Assert.Equal(("_id", "INDEX SCAN(_id < {\"$numberLong\":\"1000\"})", -1, 500), (history["index"]["name"].AsString, IndexMode(history), history["index"]["order"].AsInt32, history["limit"].AsInt32));
        Assert.False(history.ContainsKey("orderBy"));
        var purge = store.SliceAfter(1_000).GetPlan();
        Assert.Equal(("INDEX SCAN(_id > {\"$numberLong\":\"1000\"})", 1, 500), (IndexMode(purge), purge["index"]["order"].AsInt32, purge["limit"].AsInt32));
        Assert.False(purge.ContainsKey("orderBy"));
        var keys = store.DedupeSliceAfter("slack-command:0").GetPlan();
        Assert.Equal(("INDEX SCAN(_id > \"slack-command:0\")", 500), (IndexMode(keys), keys["limit"].AsInt32));
        Assert.False(keys.ContainsKey("orderBy"));
    }

    [Fact]
    public async Task A_history_search_releases_the_gate_between_slices_so_an_accept_goes_through_meanwhile()
    {
        using var store = new LiteDbStore(_path);
        string[] groups = ["A@g.us", "B@g.us", "C@g.us", "D@g.us", "E@g.us"];
        for (var i = 0; i < 120; i++)
        {
            await store.AcceptAsync(NewForward($"{i}"), groups.Select(Link).ToList(), null, default);
        }

        var acceptedMeanwhile = new List<AcceptResult>();
        store.GateReleased = async () =>
        {
            // Another thread, as a Slack ack would be: it would wait forever if this search still held the gate.
            var accept = Task.Run(() => store.AcceptAsync(NewForward("during the search"), [Link("A@g.us")], null, default));
            acceptedMeanwhile.Add(await accept.WaitAsync(TimeSpan.FromSeconds(30)));
        };

        var page = await store.QueryJobsAsync(new DeliveryQuery(GroupId: "nobody@g.us"), default);

        Assert.Empty(page);
        // 600 jobs in two slices of at most 500: the accept went through between them.
        Assert.True(Assert.Single(acceptedMeanwhile).Accepted);
        Assert.Equal(121, (await store.QueryJobsAsync(new DeliveryQuery(GroupId: "A@g.us", Take: 1000), default)).Count);
    }

    [Fact]
    public void Indexes_of_earlier_versions_go()
    {
        Directory.CreateDirectory(_directory);
        using (var db = new LiteDatabase(_path))
        {
            var jobs = db.GetCollection("jobs");
            jobs.EnsureIndex("ChannelId", "$.ChannelId");
            jobs.EnsureIndex("GroupId", "$.GroupId");
            jobs.EnsureIndex("Status", "$.Status");
            jobs.EnsureIndex("UnfinishedGroup", "IIF($.Status = 'Pending' OR $.Status = 'Sending', $.SessionId + '/' + $.GroupId, null)");
            var forwards = db.GetCollection("forwards");
            forwards.EnsureIndex("ReplyState", "$.ReplyState");
            forwards.EnsureIndex("ReplyDueAt", "$.ReplyDueAt");
        }

        new LiteDbStore(_path).Dispose();

        using var reopened = new LiteDatabase(_path);
        Assert.Equal(["ForwardId", "Unfinished", "_id"], IndexNames(reopened, "jobs"));
        Assert.Equal(["ReplyWaiting", "_id"], IndexNames(reopened, "forwards"));
    }

    [Fact]
    public async Task A_rebuild_gives_back_the_pages_freed_by_retention_and_keeps_the_rest()
    {
        using var store = new LiteDbStore(_path);
        for (var i = 0; i < 200; i++)
        {
            var forward = NewForward(new string('x', 4000));
            forward.ReplyState = ReplyState.Replied;
            await store.AcceptAsync(forward, [Link("A@g.us")], null, default);
            var job = Assert.Single(await store.GetJobsAsync(forward.Id, default));
            job.Status = DeliveryStatus.Delivered;
            await store.UpdateJobAsync(job, default);
        }

        var kept = NewForward("kept");
        await store.AcceptAsync(kept, [Link("A@g.us")], "slack-command:kept", default);
        Assert.Equal(200, await store.PurgeFinishedForwardsAsync(At.AddSeconds(1), default));
        var before = new FileInfo(_path).Length;

        var shrunk = await store.RebuildAsync(default);

        Assert.True(shrunk > 0);
        Assert.True(new FileInfo(_path).Length < before);
        // LiteDB keeps the file as it was beside the new one (https://github.com/litedb-org/LiteDB/blob/master/LiteDB/Engine/Services/RebuildService.cs).
        Assert.True(File.Exists(Path.Combine(_directory, "bridge-backup.db")));
        Assert.Equal("kept", (await store.GetForwardAsync(kept.Id, default))!.Text);
        Assert.Equal(kept.Id, Assert.Single(await store.GetUnfinishedJobsAsync(default)).ForwardId);
        Assert.False((await store.AcceptAsync(NewForward("retry"), [Link("A@g.us")], "slack-command:kept", default)).Accepted);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IEnumerable<string> IndexNames(LiteDatabase db, string collection) =>
        db.GetCollection("$indexes").Find(Query.EQ("collection", collection)).Select(i => i["name"].AsString).Order();

    private static string IndexMode(BsonDocument plan) => plan["index"]["mode"].AsString;

    private static Forward NewForward(string text) => new()
    {
        Platform = Platform.Slack,
        WorkspaceId = "T1",
        ChannelId = "C1",
        UserId = "U1",
        Text = text,
        CreatedAt = At,
    };

    private static ChannelLink Link(string groupId) => new()
    {
        Platform = Platform.Slack,
        WorkspaceId = "T1",
        ChannelId = "C1",
        SessionId = "s1",
        GroupId = groupId,
        GroupName = "Group " + groupId,
        CreatedAt = At,
    };
}
