using System.Net;
using System.Net.Sockets;
using Bridge.Fakes;
using Bridge.Forwarding;
using Bridge.Storage;
using Bridge.Storage.Postgres;
using Bridge.UnitTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.UnitTests.Storage;

/// <summary>What only the PostgreSQL store must show: replicas sharing one schema, and a database that cannot be reached.</summary>
public sealed class PostgresStoreTests : IAsyncLifetime
{
    private readonly PostgresTestSchema _schema = new();

    [PostgresFact]
    public async Task Replicas_starting_together_run_each_migration_once()
    {
        var replicas = Enumerable.Range(0, 3).Select(_ => _schema.NewStore()).ToList();

        await Task.WhenAll(replicas.Select(r => Task.Run(() => r.Migrate(NullLogger.Instance))));

        var scripts = typeof(PostgresStore).Assembly.GetManifestResourceNames().Count(n => n.StartsWith("Bridge.Storage.Postgres.Migrations.", StringComparison.Ordinal));
        Assert.Equal(scripts, await _schema.CountAsync("schemaversions"));
        Assert.Equal(StoreState.Ready, await replicas[2].CheckAsync(default));
    }

    [PostgresFact]
    public async Task A_replica_hears_of_the_jobs_others_accept_and_finish_and_catches_up_on_those_before_it_listened()
    {
        var accepting = _schema.NewMigratedStore();
        var earlier = (await accepting.AcceptAsync(StoreContract.NewForward("before"), [StoreContract.Link("A@g.us")], null, default)).Jobs;
        var heard = new RecordingScheduler();
        await using var services = new ServiceCollection().AddSingleton(Options.Create(_schema.Options)).AddSingleton(_schema.NewStore()).BuildServiceProvider();
        using var listener = new PostgresWorkListener(services, heard, new StoreAvailability(), TimeProvider.System, NullLogger<PostgresWorkListener>.Instance);

        await listener.StartAsync(default);
        // Listening: it has read what was accepted before, then woken delivery.
        await heard.WaitAsync(h => h.Wakes >= 1);
        var accepted = (await accepting.AcceptAsync(StoreContract.NewForward("after"), [StoreContract.Link("A@g.us"), StoreContract.Link("B@g.us", session: "s2")], null, default)).Jobs;
        await heard.WaitAsync(h => h.NoticedJobs.Count >= 3);
        var wakes = heard.Wakes;
        var head = (await accepting.TryClaimJobAsync(earlier[0].Id, "replica-1", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(30), default))!;
        head.Status = DeliveryStatus.Delivered;
        await accepting.UpdateJobAsync(head, default);
        await heard.WaitAsync(h => h.Wakes > wakes);
        await listener.StopAsync(default);

        Assert.Equal(
            [("s1/A@g.us", earlier[0].Id), ("s1/A@g.us", accepted[0].Id), ("s2/B@g.us", accepted[1].Id)],
            heard.NoticedJobs);
    }

    [PostgresFact]
    public async Task Replicas_accepting_one_dedupe_key_at_once_record_one_forward()
    {
        var replicas = Enumerable.Range(0, 2).Select(_ => _schema.NewMigratedStore()).ToList();
        var forwards = Enumerable.Range(0, 10).Select(i => StoreContract.NewForward($"retry {i}")).ToList();

        var results = await Task.WhenAll(forwards.Select((f, i) => Task.Run(() =>
            replicas[i % 2].AcceptAsync(f, [StoreContract.Link("A@g.us"), StoreContract.Link("B@g.us")], "slack-event:T1:Ev1", default))));

        var accepted = Assert.Single(results, r => r.Accepted);
        Assert.All(results, r => Assert.Equal(accepted.ForwardId, r.ForwardId));
        Assert.Equal(2, (await replicas[0].QueryJobsAsync(new DeliveryQuery(), default)).Count);
    }

    [PostgresFact]
    public async Task Replicas_accepting_into_one_group_at_once_make_its_jobs_visible_in_id_order()
    {
        // A claimant takes a group's oldest unfinished job it can see: a job must never appear after a later one did.
        var replicas = Enumerable.Range(0, 3).Select(_ => _schema.NewMigratedStore()).ToList();
        var snapshots = new List<long[]>();
        var accepting = Task.WhenAll(Enumerable.Range(0, 90).Select(i => Task.Run(() =>
            replicas[i % 3].AcceptAsync(StoreContract.NewForward($"{i}"), [StoreContract.Link("A@g.us"), StoreContract.Link($"B{i % 2}@g.us")], $"slack-command:{i}", default))));
        while (!accepting.IsCompleted)
        {
            snapshots.Add([.. (await replicas[0].GetUnfinishedJobsAsync(default)).Where(j => j.GroupId == "A@g.us").Select(j => j.Id)]);
        }

        await accepting;
        var all = (await replicas[0].GetUnfinishedJobsAsync(default)).Where(j => j.GroupId == "A@g.us").Select(j => j.Id).ToList();
        Assert.Equal(90, all.Count);
        Assert.All(snapshots.Where(s => s.Length > 0), s => Assert.Equal(all.Where(id => id <= s.Max()), s));
    }

    [PostgresFact]
    public async Task A_listening_replica_reads_links_from_its_copy_until_another_replica_changes_them()
    {
        var listening = _schema.NewMigratedStore();
        var other = _schema.NewStore();
        var heard = new ConditionWaiters();
        var notices = new List<string>();
        using var stop = new CancellationTokenSource();
        var listened = new TaskCompletionSource();
        var listen = listening.ListenAsync(
            payload =>
            {
                lock (notices)
                {
                    notices.Add(payload);
                }

                heard.Changed();
            },
            () => Task.FromResult(listened.TrySetResult()),
            TimeSpan.FromSeconds(30),
            stop.Token);
        await Task.WhenAny(listened.Task, listen);
        Assert.True(listened.Task.IsCompleted, listen.Exception?.ToString());
        // Notices of one channel arrive in commit order: once a marker sent after a change is heard, so is the change.
        async Task HeardSoFarAsync()
        {
            var marker = "marker " + Guid.NewGuid();
            await _schema.ExecuteAsync($"NOTIFY bridge_work_{_schema.Name}, '{marker}'");
            await heard.WaitAsync(() => { lock (notices) { return notices.Contains(marker); } });
        }

        var first = StoreContract.Link("A@g.us");
        await other.AddLinkAsync(first, default);
        await HeardSoFarAsync();
        Assert.Equal(["A@g.us"], (await listening.GetLinksAsync(first.Channel, default)).Select(l => l.GroupId));

        // Gone behind the stores' backs, with no notice: the listening replica still has its copy.
        await _schema.ExecuteAsync($"DELETE FROM links WHERE id = '{first.Id}'");
        Assert.Equal(["A@g.us"], (await listening.GetLinksAsync(first.Channel, default)).Select(l => l.GroupId));

        // A change on another replica is heard, and the copy dropped.
        await other.AddLinkAsync(StoreContract.Link("B@g.us"), default);
        await HeardSoFarAsync();
        Assert.Equal(["B@g.us"], (await listening.GetLinksAsync(first.Channel, default)).Select(l => l.GroupId));
        Assert.DoesNotContain("links", notices);

        // Not listening, it keeps no copy.
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listen);
        await _schema.ExecuteAsync("DELETE FROM links");
        Assert.Empty(await listening.GetLinksAsync(first.Channel, default));
    }

    [Fact]
    public async Task An_unreachable_database_is_unavailable_records_nothing_and_never_shows_its_password()
    {
        var options = new StorageOptions
        {
            Provider = "Postgres",
            PostgresConnectionString = $"Host=127.0.0.1;Port={ClosedPort()};Username=bridge;Password=s3cret-pw;Database=bridge;Timeout=5",
        };
        var availability = new StoreAvailability();
        using var store = PostgresStore.Create(options, TimeProvider.System, availability);

        var refused = Assert.Throws<StoreOpenException>(() => store.Migrate(NullLogger.Instance));
        var unavailable = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            store.AcceptAsync(StoreContract.NewForward("x"), [StoreContract.Link("A@g.us")], "slack-command:1", default));

        Assert.StartsWith("The PostgreSQL store at 127.0.0.1:", refused.Message);
        Assert.Contains("/bridge (schema bridge) cannot be opened", refused.Message);
        Assert.DoesNotContain("s3cret-pw", refused.ToString());
        Assert.Equal("its database cannot be reached", unavailable.Reason);
        Assert.DoesNotContain("s3cret-pw", unavailable.ToString());
        Assert.Equal(StoreState.Unavailable, await store.CheckAsync(default));
        // The failed call told the replica its store is lost, so its next requests are refused up front.
        Assert.Equal("its database cannot be reached", availability.LostReason);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (PostgresTestDatabase.ConnectionString is not null)
        {
            await _schema.DisposeAsync();
        }
    }

    /// <summary>A loopback port nothing listens on: one just given back by the system.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
