using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Storage;
using Bridge.Tests.Admin;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Storage;

public sealed class RetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task History_past_the_retention_is_purged_an_hour_after_start_on_the_apps_clock()
    {
        var clock = new FakeTimeProvider(Now);
        await using var app = await BridgeApp.StartAsync(a => a.Time = clock);
        string old, recent;
        using (var store = new LiteDbStore(app.DatabasePath))
        {
            old = await AcceptFinishedAsync(store, Now.AddDays(-90).AddMinutes(30), "slack-command:old");
            recent = await AcceptFinishedAsync(store, Now.AddDays(-1), "slack-command:recent");
        }

        // The first run is an hour after start: until the clock moves, nothing is purged.
        Assert.NotNull(await app.ForwardStore.GetForwardAsync(old, default));

        clock.Advance(HistoryPurger.Interval);

        await app.WaitForLogAsync(line => line.Contains("Retention purged 1 finished forward(s) with their jobs and 1 dedupe key(s)"));
        Assert.Null(await app.ForwardStore.GetForwardAsync(old, default));
        Assert.Empty(await app.ForwardStore.GetJobsAsync(old, default));
        Assert.NotNull(await app.ForwardStore.GetForwardAsync(recent, default));
        Assert.Equal(recent, Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)).ForwardId);
        Assert.False(await app.ForwardStore.TryClaimAsync("slack-command:recent", Now, default));
    }

    [Fact]
    public async Task A_retention_of_zero_keeps_the_history_and_still_purges_old_dedupe_keys()
    {
        var clock = new FakeTimeProvider(Now);
        await using var app = await BridgeApp.StartAsync(a =>
        {
            a.Time = clock;
            a.Settings["Storage:Retention"] = "0";
        });
        string old;
        using (var store = new LiteDbStore(app.DatabasePath))
        {
            old = await AcceptFinishedAsync(store, Now.AddYears(-1), "slack-command:old");
        }

        Assert.NotNull(await app.ForwardStore.GetForwardAsync(old, default));
        clock.Advance(HistoryPurger.Interval);

        await app.WaitForLogAsync(line => line.Contains("Retention purged 0 finished forward(s) with their jobs and 1 dedupe key(s)"));
        Assert.NotNull(await app.ForwardStore.GetForwardAsync(old, default));
        Assert.Single(await app.ForwardStore.GetJobsAsync(old, default));
    }

    [Theory]
    [InlineData("1.00:00:00")]
    [InlineData("-90.00:00:00")]
    public async Task A_retention_shorter_than_the_dedupe_keys_life_stops_start_up_naming_the_key(string retention)
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings["Storage:Retention"] = retention);

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Storage:Retention must be 0 (keep all history) or at least 3 days", error.Message);
    }

    [Fact]
    public async Task The_admin_api_rebuilds_the_store_on_request_and_keeps_its_content()
    {
        await using var app = await AdminApp.StartAsync();
        var link = await app.LinkAsync();

        var response = await app.Api().PostAsync("/admin/api/store/rebuild", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((long)(await response.Content.ReadFromJsonAsync<JsonObject>())!["bytesFreed"]! >= 0);
        Assert.Equal(link.Id, Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default)).Id);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(app.DatabasePath)!, "bridge-backup.db")));
    }

    /// <summary>
    /// A forward to <paramref name="groups"/> groups, each delivered, and replied, accepted with <paramref name="dedupeKey"/>;
    /// returns its id.
    /// </summary>
    internal static async Task<string> AcceptFinishedAsync(LiteDbStore store, DateTimeOffset createdAt, string? dedupeKey, int groups = 1)
    {
        var forward = new Forward { Platform = Platform.Slack, WorkspaceId = "T1", ChannelId = "C1", UserId = "U1", Text = "hello", CreatedAt = createdAt, ReplyState = ReplyState.Replied };
        var links = Enumerable.Range(0, groups)
            .Select(i => new ChannelLink { Platform = Platform.Slack, WorkspaceId = "T1", ChannelId = "C1", SessionId = "s1", GroupId = $"{i}@g.us", GroupName = $"{i}", CreatedAt = createdAt })
            .ToList();
        await store.AcceptAsync(forward, links, dedupeKey, default);
        foreach (var job in await store.GetJobsAsync(forward.Id, default))
        {
            job.Status = DeliveryStatus.Delivered;
            await store.UpdateJobAsync(job, default);
        }

        return forward.Id;
    }
}
