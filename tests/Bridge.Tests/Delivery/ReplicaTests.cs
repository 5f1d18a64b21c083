using Bridge.Delivery;
using Bridge.Forwarding;
using Bridge.Storage;
using Bridge.Storage.Postgres;
using Bridge.Tests.Admin;
using Bridge.Tests.Infrastructure;
using Bridge.UnitTests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Bridge.Tests.Delivery;

/// <summary>Two Bridges on one PostgreSQL database, as two replicas behind a load balancer, on one fake TalkNTalk and Slack.</summary>
public sealed class ReplicaTests
{
    private const int CommandsPerGroup = 6;

    private static readonly (string Channel, string Group)[] Groups =
        [("C0REPLICA01", "120363410000000001@g.us"), ("C0REPLICA02", "120363410000000002@g.us"), ("C0REPLICA03", "120363410000000003@g.us")];

    [PostgresFact]
    public async Task Commands_accepted_through_either_replica_are_each_sent_once_in_their_groups_order_and_replied_once()
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        var schema = "t_" + Guid.NewGuid().ToString("N");
        try
        {
            await using var first = await ReplicaAsync(whatsApp, slack, schema);
            await using var second = await ReplicaAsync(whatsApp, slack, schema);
            BridgeApp[] replicas = [first, second];
            foreach (var (channel, group) in Groups)
            {
                await first.LinkAsync(channelId: channel, groupId: group, groupName: group);
            }

            // Each group's commands one after the other (their order is the order they must reach the group), taking
            // turns between the replicas; the three groups at once.
            await Task.WhenAll(Groups.Select(async (g, k) =>
            {
                for (var i = 0; i < CommandsPerGroup; i++)
                {
                    using var response = await replicas[(i + k) % 2].SlashCommandAsync($"{g.Group} #{i}", channelId: g.Channel);
                    response.EnsureSuccessStatusCode();
                }
            }));

            var total = Groups.Length * CommandsPerGroup;
            await slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) >= total);

            var jobs = await first.ForwardStore.QueryJobsAsync(new DeliveryQuery { Take = 100 }, default);
            Assert.Equal(total, jobs.Count);
            Assert.All(jobs, j => Assert.Equal(DeliveryStatus.Delivered, j.Status));
            Assert.Equal(total, whatsApp.Sends.Count);
            foreach (var (_, group) in Groups)
            {
                Assert.Equal(
                    Enumerable.Range(0, CommandsPerGroup).Select(i => $"{group} #{i}"),
                    whatsApp.Sends.Where(s => s.To == group).Select(s => s.Message));
            }

            var records = slack.Posts.Where(p => p.ThreadTs is null).ToList();
            var replies = slack.Posts.Where(p => p.ThreadTs is not null).ToList();
            Assert.Equal((total, total), (records.Count, replies.Count));
            Assert.Equal(records.Select(r => r.Ts).Order(), replies.Select(r => r.ThreadTs!).Order());
            // Every job ran under a claim.
            Assert.All(jobs, j => Assert.NotNull(j.ClaimedBy));
        }
        finally
        {
            await DropAsync(schema);
        }
    }

    [PostgresFact]
    public async Task A_send_stranded_by_a_replica_that_died_is_reported_possibly_delivered_once_its_lease_runs_out_and_never_sent()
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        var schema = "t_" + Guid.NewGuid().ToString("N");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        try
        {
            // The dead replica's work, as the database keeps it: it claimed the group's first job and marked it Sending.
            var stranded = await StrandAsync(schema, time.GetUtcNow());

            await using var live = await ReplicaAsync(whatsApp, slack, schema, time);
            // At its start it leaves the live lease alone.
            await live.WaitForLogAsync(l => l.Contains("[2201]"));
            Assert.Contains(live.Logs, l => l.Contains("[2201]") && l.Contains(": 0 interrupted send(s)"));
            live.AdvanceTime(new DeliveryOptions().JobLease);
            await whatsApp.WaitForSendsAsync(1);

            var reported = (await live.ForwardStore.GetJobAsync(stranded, default))!;
            Assert.Equal((DeliveryStatus.Unknown, DeliveryWorker.InterruptedSendError), (reported.Status, reported.Error));
            Assert.Equal(DeliveryAttempt.Interrupted, Assert.Single(reported.Attempts).Outcome);
            Assert.NotEqual("dead-replica", reported.ClaimedBy);
            Assert.Equal(["second"], whatsApp.Sends.Select(s => s.Message));
        }
        finally
        {
            await DropAsync(schema);
        }
    }

    /// <summary>Two forwards to one group, the first claimed and marked Sending by "dead-replica" at <paramref name="now"/>; returns its job.</summary>
    private static async Task<long> StrandAsync(string schema, DateTimeOffset now)
    {
        using var store = PostgresStore.Create(
            new StorageOptions { Provider = "Postgres", PostgresConnectionString = PostgresTestDatabase.ConnectionString, PostgresSchema = schema }, TimeProvider.System, new StoreAvailability());
        store.Migrate(NullLogger.Instance);
        var link = new ChannelLink
        {
            Platform = Platform.Slack, WorkspaceId = "T08ABCD1234", ChannelId = Groups[0].Channel, SessionId = FakeTalkNTalk.DefaultSessionId,
            GroupId = Groups[0].Group, GroupName = "Field Team", CreatedBy = BridgeApp.AdminUserId, CreatedAt = now,
        };
        await store.AddLinkAsync(link, default);
        var ids = new List<long>();
        foreach (var text in new[] { "first", "second" })
        {
            var forward = new Forward { Platform = Platform.Slack, WorkspaceId = link.WorkspaceId, ChannelId = link.ChannelId, UserId = "U1", Text = text, CreatedAt = now };
            ids.Add(Assert.Single((await store.AcceptAsync(forward, [link], null, default)).Jobs).Id);
        }

        var claimed = (await store.TryClaimJobAsync(ids[0], "dead-replica", now, now + new DeliveryOptions().JobLease, default))!;
        claimed.Status = DeliveryStatus.Sending;
        await store.UpdateJobAsync(claimed, default);
        return ids[0];
    }

    [PostgresFact]
    public async Task Two_replicas_retrying_one_failed_delivery_at_once_record_one_retry_and_send_it_once()
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        var schema = "t_" + Guid.NewGuid().ToString("N");
        try
        {
            await using var first = await ReplicaAsync(whatsApp, slack, schema);
            await using var second = await ReplicaAsync(whatsApp, slack, schema);
            var (channel, group) = Groups[0];
            await first.LinkAsync(channelId: channel, groupId: group, groupName: group);
            whatsApp.SendBehavior = _ => new FakeAnswer(400, "The group does not accept messages.");
            (await first.SlashCommandAsync("Truck 12 is in", channelId: channel)).EnsureSuccessStatusCode();
            await slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null && p.Text.Contains("❌", StringComparison.Ordinal)));
            var failed = Assert.Single(await first.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
            whatsApp.SendBehavior = null;

            var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                (i % 2 == 0 ? first : second).Api().PostAsync($"/admin/api/deliveries/{failed.Id}/retry", null)));

            Assert.Single(answers, a => a.StatusCode == System.Net.HttpStatusCode.Created);
            Assert.All(answers.Where(a => a.StatusCode != System.Net.HttpStatusCode.Created), a => Assert.Equal(System.Net.HttpStatusCode.Conflict, a.StatusCode));
            await slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null && p.Text.Contains("✅", StringComparison.Ordinal)));
            var jobs = await first.ForwardStore.GetJobsAsync(failed.ForwardId, default);
            Assert.Equal([(DeliveryStatus.Failed, (long?)null), (DeliveryStatus.Delivered, failed.Id)], jobs.Select(j => (j.Status, j.RetryOf)));
            Assert.Single(whatsApp.Sends, s => s.Answer == 201);
            Assert.Single(slack.Posts, p => p.ThreadTs is not null && p.Text.Contains("✅", StringComparison.Ordinal));
        }
        finally
        {
            await DropAsync(schema);
        }
    }

    private static async Task DropAsync(string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.ConnectionString!);
        await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<BridgeApp> ReplicaAsync(FakeTalkNTalk whatsApp, FakeSlackApi slack, string schema, TimeProvider? time = null)
    {
        var app = await BridgeApp.StartAsync(whatsApp, slack, Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db"));
        app.Time = time;
        app.Settings["Storage:Provider"] = "Postgres";
        app.Settings["Storage:PostgresConnectionString"] = PostgresTestDatabase.ConnectionString;
        app.Settings["Storage:PostgresSchema"] = schema;
        app.Settings["Admin:ApiKey"] = AdminApp.Key;
        // Polling would find the other replica's work anyway; rare polls make the replicas rely on LISTEN/NOTIFY.
        app.Settings["Delivery:PollInterval"] = "00:01:00";
        app.CreateClient().Dispose();
        return app;
    }
}
