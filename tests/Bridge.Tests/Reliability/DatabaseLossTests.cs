using System.Net;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Storage;
using Bridge.Tests.Infrastructure;
using Bridge.UnitTests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Bridge.Tests.Reliability;

/// <summary>
/// A replica on PostgreSQL cut off from its database (a TCP proxy between them resets every connection and each new
/// one): it refuses at once, records and sends nothing, and resumes by itself once the database is back. In-process, so
/// the test moves Bridge's clock (the store probe's interval) and reads its store and availability directly.
/// </summary>
public sealed class DatabaseLossTests
{
    private const string Lost = "its database cannot be reached";

    [PostgresFact]
    public async Task A_replica_cut_off_from_its_database_refuses_at_once_records_nothing_and_resumes_by_itself_once_it_is_back()
    {
        var database = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ConnectionString);
        await using var proxy = TcpProxy.Start(database.Host!, database.Port);
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using var app = await BridgeApp.StartAsync(a =>
        {
            a.Time = new FakeTimeProvider(DateTimeOffset.UtcNow);
            a.Settings["Storage:Provider"] = "Postgres";
            a.Settings["Storage:PostgresConnectionString"] = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = proxy.Port }.ConnectionString;
            a.Settings["Storage:PostgresSchema"] = schema;
            // One group at a time, so a send held in flight keeps the next group's job pending.
            a.Settings["Delivery:MaxParallelGroups"] = "1";
            // The clock moves in probe-sized steps while the probe's check runs in real time: the held send must not
            // time out meanwhile.
            a.Settings["WhatsApp:Timeout"] = "01:00:00";
        });
        try
        {
            await app.LinkAsync();
            await app.LinkAsync(channelId: "C0SECOND001", groupId: "120363410000000002@g.us", groupName: "Sales");
            using var http = app.CreateClient();
            var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            app.WhatsApp.BeforeSend = () =>
            {
                sending.TrySetResult();
                return held.Task;
            };

            // Before the cut: one send in flight, and another group's job accepted and pending behind it.
            Assert.Contains("Sending to WhatsApp group Field Team", await TextOfAsync(await app.SlashCommandAsync("in flight")));
            await sending.Task;
            Assert.Contains("Sending to WhatsApp group Sales", await TextOfAsync(await app.SlashCommandAsync("pending", channelId: "C0SECOND001")));
            // Both visible records posted and recorded, so no write is under way when the database goes.
            await app.WaitForLogAsync(_ => app.Logs.Count(l => l.Contains("[2103]")) >= 2);

            proxy.Cut();

            using var notReady = await http.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Contains($"The store cannot record messages right now ({Lost}).", await notReady.Content.ReadAsStringAsync());
            // Known lost now: what comes next is refused without a try at the database.
            var tries = proxy.RefusedConnections;
            Assert.Equal(ForwardOutcome.NotRecordedSentence(Lost), await TextOfAsync(await app.SlashCommandAsync("during the cut")));
            using var mention = await app.PostEventAsync(SlackPayloads.AppMention("<@U0BRIDGE01> during the cut too", "1767225600.000100", "U0BRIDGE01").ToJsonString());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, mention.StatusCode);
            Assert.Contains($"Bridge cannot record events right now ({Lost}).", await mention.Content.ReadAsStringAsync());
            Assert.Equal(tries, proxy.RefusedConnections);

            proxy.Restore();

            // Nothing asks: the store probe finds the database back on its own, every StoreProbe.Interval of Bridge's clock.
            var availability = app.Services.GetRequiredService<StoreAvailability>();
            Assert.Equal(Lost, availability.LostReason);
            await app.MoveTimeUntilAsync(availability.WhenBackAsync(default), StoreProbe.Interval);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
            Assert.Contains("Sending to WhatsApp group Field Team", await TextOfAsync(await app.SlashCommandAsync("after the cut")));
            held.SetResult();

            await app.Slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) >= 3);
            Assert.Equal(["in flight", "after the cut"], app.WhatsApp.Sends.Where(s => s.To == "120363410923125768@g.us").Select(s => s.Message));
            Assert.Equal(["pending"], app.WhatsApp.Sends.Where(s => s.To == "120363410000000002@g.us").Select(s => s.Message));
            var jobs = await app.ForwardStore.QueryJobsAsync(new DeliveryQuery { Take = 100 }, default);
            Assert.Equal(3, jobs.Count);
            Assert.All(jobs, j => Assert.Equal(DeliveryStatus.Delivered, j.Status));
            await app.WaitForLogAsync(l => l.Contains("[2606]"));
            Assert.Single(app.Logs, l => l.Contains("[2605]") && l.Contains(Lost));
            Assert.Single(app.Logs, l => l.Contains("[2606]"));
        }
        finally
        {
            await using var dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.ConnectionString!);
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task<string> TextOfAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["text"]!.GetValue<string>();
}
