using System.Text;
using Bridge.Delivery;
using Bridge.Forwarding;
using Bridge.Hosting;
using Bridge.Storage;

namespace Bridge.UnitTests.Storage;

/// <summary>
/// <c>Bridge import-litedb</c>: a LiteDB store, filled through LiteDbStore as Bridge fills it, copied into PostgreSQL by
/// the command and read back through PostgresStore; a second run copies nothing; refusals change nothing.
/// </summary>
public sealed class LiteDbImportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly PostgresTestSchema _schema = new();
    private readonly string _liteDbPath = Path.Combine(Directory.CreateTempSubdirectory("bridge-import-").FullName, "bridge.db");

    [PostgresFact]
    public async Task Links_history_settings_keys_and_media_arrive_in_order_and_a_second_run_copies_nothing()
    {
        var seeded = await SeedAsync();

        var first = await ImportAsync(_liteDbPath, PostgresArguments());

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal("", first.Error);
        Assert.Contains("links: 2 copied, 0 already there", first.Output);
        Assert.Contains("forwards: 3 copied with 4 jobs (1 still to send, 1 interrupted sends marked possibly delivered), 0 already there", first.Output);
        Assert.Contains("dedupe keys: 3 copied", first.Output);
        Assert.Contains("settings: 2 copied, 0 already there", first.Output);
        Assert.Contains("media files: 1 copied, 0 already there", first.Output);
        Assert.DoesNotContain("not-shown", first.Output);

        var store = _schema.NewMigratedStore();
        Assert.Equal(seeded.Links.Select(l => l.Id).Order(), (await store.ListLinksAsync(null, null, null, default)).Select(l => l.Id).Order());
        var delivered = await store.GetJobsAsync(seeded.Delivered.Id, default);
        Assert.Equal([DeliveryStatus.Delivered, DeliveryStatus.Delivered], delivered.Select(j => j.Status));
        Assert.Equal(["wamid.A1"], delivered[0].MessageIds);
        Assert.Equal(ReplyState.Replied, (await store.GetForwardAsync(seeded.Delivered.Id, default))!.ReplyState);
        var interrupted = Assert.Single(await store.GetJobsAsync(seeded.Interrupted.Id, default));
        Assert.Equal(DeliveryStatus.Unknown, interrupted.Status);
        Assert.Equal(DeliveryWorker.InterruptedSendError, interrupted.Error);
        Assert.Equal(DeliveryAttempt.Interrupted, interrupted.Attempts.Last().Outcome);
        // Still to send, and after the group's earlier jobs: group A's history keeps its acceptance order.
        var pending = Assert.Single(await store.GetUnfinishedJobsAsync(default));
        Assert.Equal((seeded.Pending.Id, DeliveryStatus.Pending), (pending.ForwardId, pending.Status));
        var groupA = await store.QueryJobsAsync(new DeliveryQuery { GroupId = "A@g.us" }, default);
        Assert.Equal([seeded.Pending.Id, seeded.Interrupted.Id, seeded.Delivered.Id], groupA.Select(j => j.ForwardId));
        Assert.True(groupA[0].Id > groupA[1].Id && groupA[1].Id > groupA[2].Id);

        Assert.Equal("admin-hash", await store.GetSettingAsync("admin:key-hash", default));
        Assert.Equal("media-key", await store.GetSettingAsync("media:signing-key", default));
        // A retry of the command recorded before the move is still refused, pointing at its forward.
        var retry = await store.AcceptAsync(StoreContract.NewForward("again"), [StoreContract.Link("A@g.us")], "slack-command:3", default);
        Assert.Equal((false, seeded.Pending.Id), (retry.Accepted, retry.ForwardId));
        Assert.False(await store.TryClaimAsync("slack-event:T1:Ev9", Now, default));
        await using (var media = (await store.OpenMediaAsync("m-valid", default))!)
        using (var copy = new MemoryStream())
        {
            await media.CopyToAsync(copy);
            Assert.Equal("a picture"u8.ToArray(), copy.ToArray());
        }

        Assert.Null(await store.GetMediaAsync("m-expired", default));

        var second = await ImportAsync(_liteDbPath, PostgresArguments());

        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("links: 0 copied, 2 already there", second.Output);
        Assert.Contains("forwards: 0 copied with 0 jobs (0 still to send, 0 interrupted sends marked possibly delivered), 3 already there", second.Output);
        Assert.Contains("dedupe keys: 0 copied", second.Output);
        Assert.Contains("settings: 0 copied, 2 already there", second.Output);
        Assert.Contains("media files: 0 copied, 1 already there", second.Output);
        Assert.Equal(4, await _schema.CountAsync("jobs"));
    }

    [PostgresFact]
    public async Task A_history_longer_than_a_slice_arrives_whole_in_acceptance_order()
    {
        var count = 2 * LiteDbStore.SliceSize + 100;
        IReadOnlyList<string> accepted;
        using (var lite = new LiteDbStore(_liteDbPath))
        {
            // Accepted at once, so they share group commits; the job ids give the order they were accepted in.
            var results = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
                lite.AcceptAsync(StoreContract.NewForward($"m{i}"), [StoreContract.Link("A@g.us")], $"slack-command:{i}", default)));
            accepted = [.. results.OrderBy(r => r.Jobs.Single().Id).Select(r => r.ForwardId)];
        }

        var imported = await ImportAsync(_liteDbPath, PostgresArguments());

        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains($"dedupe keys: {count} copied", imported.Output);
        var store = _schema.NewMigratedStore();
        var jobs = await store.GetUnfinishedJobsAsync(default);
        Assert.Equal(accepted, jobs.Select(j => j.ForwardId));
    }

    [PostgresFact]
    public async Task A_setting_already_in_PostgreSQL_is_kept()
    {
        await SeedAsync();
        var store = _schema.NewMigratedStore();
        await store.SetSettingAsync("admin:key-hash", "generated-on-postgres", default);

        var imported = await ImportAsync(_liteDbPath, PostgresArguments());

        Assert.Equal(0, imported.ExitCode);
        Assert.Contains("settings: 1 copied, 1 already there", imported.Output);
        Assert.Equal("generated-on-postgres", await store.GetSettingAsync("admin:key-hash", default));
    }

    [Fact]
    public async Task Without_PostgreSQL_configured_it_refuses_in_one_sentence()
    {
        await SeedAsync();

        var imported = await ImportAsync(_liteDbPath, ["--Storage:Provider=LiteDb"]);

        Assert.Equal(1, imported.ExitCode);
        Assert.Equal(
            "import-litedb copies into PostgreSQL, but Storage:Provider is LiteDb: set Storage:Provider=Postgres and Storage:PostgresConnectionString.",
            imported.Error.TrimEnd());
        Assert.Equal("", imported.Output);
    }

    [PostgresFact]
    public async Task A_missing_file_is_refused_and_changes_nothing()
    {
        var missing = Path.Combine(Path.GetDirectoryName(_liteDbPath)!, "nothing-here.db");

        var imported = await ImportAsync(missing, PostgresArguments());

        Assert.Equal(1, imported.ExitCode);
        Assert.Equal($"The LiteDB store file {missing} does not exist; give the path of Bridge's bridge.db.", imported.Error.TrimEnd());
        Assert.False(File.Exists(missing));
        // Not even the schema was created.
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => _schema.CountAsync("schemaversions"));
    }

    [Fact]
    public async Task An_unreachable_database_is_one_sentence_without_the_password()
    {
        await SeedAsync();

        var imported = await ImportAsync(_liteDbPath, ["--Storage:Provider=Postgres", "--Storage:PostgresConnectionString=Host=127.0.0.1;Port=1;Username=bridge;Password=s3cret-pw;Timeout=2"]);

        Assert.Equal(1, imported.ExitCode);
        Assert.StartsWith("The PostgreSQL store at 127.0.0.1:1/", imported.Error);
        Assert.Single(imported.Error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("s3cret-pw", imported.Error);
    }

    [Fact]
    public async Task Without_a_path_it_prints_its_usage()
    {
        var imported = await ImportAsync(null, []);

        Assert.Equal(2, imported.ExitCode);
        Assert.StartsWith("Usage: Bridge import-litedb <path to bridge.db>", imported.Error);
    }

    private string[] PostgresArguments() =>
    [
        "--Storage:Provider=Postgres",
        $"--Storage:PostgresConnectionString={PostgresTestDatabase.ConnectionString};Password=not-shown",
        $"--Storage:PostgresSchema={_schema.Name}",
    ];

    private static async Task<(int ExitCode, string Output, string Error)> ImportAsync(string? path, string[] settings)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await LiteDbImportCommand.RunAsync(path is null ? settings : [path, .. settings], output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private sealed record Seeded(IReadOnlyList<ChannelLink> Links, Forward Delivered, Forward Interrupted, Forward Pending);

    /// <summary>
    /// A store as a stopped Bridge leaves it: a forward to A and B delivered and replied, one to A whose send was
    /// interrupted, one to A still pending (with its dedupe key), a claimed event, two settings, a valid and an expired file.
    /// </summary>
    private async Task<Seeded> SeedAsync()
    {
        using var lite = new LiteDbStore(_liteDbPath);
        var links = new[] { StoreContract.Link("A@g.us"), StoreContract.Link("B@g.us") };
        foreach (var link in links)
        {
            await lite.AddLinkAsync(link, default);
        }

        var delivered = StoreContract.NewForward("delivered");
        foreach (var job in (await lite.AcceptAsync(delivered, links, "slack-command:1", default)).Jobs)
        {
            job.Status = DeliveryStatus.Delivered;
            job.MessageIds.Add("wamid." + job.GroupId[0] + "1");
            job.Attempts.Add(new DeliveryAttempt(Now, 0, DeliveryAttempt.Sent, 201, null));
            await lite.UpdateJobAsync(job, default);
        }

        await lite.UpdateForwardAsync(delivered.Id, f => f.ReplyState = ReplyState.Replied, default);
        var interrupted = StoreContract.NewForward("interrupted");
        var sending = (await lite.AcceptAsync(interrupted, [links[0]], null, default)).Jobs.Single();
        sending.Status = DeliveryStatus.Sending;
        await lite.UpdateJobAsync(sending, default);
        var pending = StoreContract.NewForward("pending");
        await lite.AcceptAsync(pending, [links[0]], "slack-command:3", default);
        await lite.TryClaimAsync("slack-event:T1:Ev9", Now, default);
        await lite.SetSettingAsync("admin:key-hash", "admin-hash", default);
        await lite.SetSettingAsync("media:signing-key", "media-key", default);
        await lite.SaveMediaAsync(new StoredMedia("m-valid", "a.jpg", "image/jpeg", Now.AddHours(1)), new MemoryStream("a picture"u8.ToArray()), default);
        await lite.SaveMediaAsync(new StoredMedia("m-expired", "b.jpg", "image/jpeg", Now.AddHours(-1)), new MemoryStream(Encoding.UTF8.GetBytes("old")), default);
        return new Seeded(links, delivered, interrupted, pending);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (PostgresTestDatabase.ConnectionString is not null)
        {
            await _schema.DisposeAsync();
        }

        Directory.Delete(Path.GetDirectoryName(_liteDbPath)!, recursive: true);
    }
}
