using System.Net;
using AngleSharp.Html.Parser;
using Bridge.Forwarding;
using Bridge.Media;
using Bridge.Tests.Admin;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Teams;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bridge.Tests.Storage;

/// <summary>
/// Two Bridge hosts on one PostgreSQL schema, as two replicas behind a load balancer: what one makes, the other
/// accepts. Needs the server in BRIDGE_TEST_POSTGRES (.ci/run starts one); skipped without it.
/// </summary>
public sealed class SharedStateTests : IAsyncLifetime
{
    private const string Variable = "BRIDGE_TEST_POSTGRES";
    private static readonly string? ConnectionString = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N");
    private BridgeApp _first = null!;
    private BridgeApp _second = null!;

    public async Task InitializeAsync()
    {
        _first = await ReplicaAsync();
        _second = await ReplicaAsync();
    }

    private Task<BridgeApp> ReplicaAsync() => AdminApp.StartAsync(OnThisSchema);

    [PostgresFact]
    public async Task An_admin_sign_in_form_and_cookie_made_by_one_replica_work_on_the_other()
    {
        var cookies = new System.Net.CookieContainer();
        var first = _first.CreateDefaultClient(new Uri("http://localhost/"), new CookieContainerHandler(cookies));
        var second = _second.CreateDefaultClient(new Uri("http://localhost/"), new CookieContainerHandler(cookies));

        // The form and its antiforgery cookie come from the first replica; the sign-in goes to the second.
        var form = new HtmlParser().ParseDocument(await first.GetStringAsync("/admin/signin"));
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var signIn = await second.PostAsync("/admin/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = AdminApp.Key,
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/admin", signIn.Headers.Location!.OriginalString);

        // The sign-in cookie the second made opens the page on the first.
        var page = await first.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await _first.CreateDefaultClient().GetAsync("/admin")).StatusCode);
    }

    [PostgresFact]
    public async Task A_media_link_signed_by_one_replica_opens_on_the_other()
    {
        var saved = await _first.MediaStore.SaveMediaAsync(
            new StoredMedia("m1", "photo.png", "image/png", DateTimeOffset.UtcNow.AddHours(1)), new MemoryStream([1, 2, 3]), default);
        var url = await _first.Services.GetRequiredService<MediaSigner>()
            .CreateUrlAsync(new Uri("http://localhost/"), saved.Id, saved.FileName, saved.ExpiresAt);

        var response = await _second.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([1, 2, 3], await response.Content.ReadAsByteArrayAsync());
    }

    [PostgresFact]
    public async Task A_Slack_event_delivered_to_both_replicas_at_once_records_one_forward()
    {
        await _first.LinkAsync();
        var json = Fixtures.Read("slack-events-app-mention.json");

        var answers = await Task.WhenAll(_first.PostEventAsync(json), _second.PostEventAsync(json, retryNum: 1));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1, await CountAsync("forwards"));
        Assert.Equal(1, await CountAsync("jobs"));
    }

    [PostgresFact]
    public async Task A_Teams_activity_retried_on_the_other_replica_is_answered_from_the_stored_forward()
    {
        await using var first = await TeamsBridge.StartAsync(OnThisSchema);
        await using var second = await TeamsBridge.StartAsync(OnThisSchema);
        await first.LinkAsync();

        Assert.Equal(HttpStatusCode.OK, (await first.PostAsync(first.Activity("teams-message-mention.json"))).StatusCode);
        // The Connector's retry of the same activity (same conversation and id) lands on the other replica.
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsync(second.Activity("teams-message-mention.json"))).StatusCode);

        await second.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith("This message was already sent to WhatsApp", StringComparison.Ordinal)));
        Assert.Equal(1, await CountAsync("forwards"));
        Assert.DoesNotContain(second.BotFramework.Posts, p => p.Text.StartsWith("Sending", StringComparison.Ordinal));
    }

    private async Task<long> CountAsync(string table)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString!);
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {_schema}.{table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private void OnThisSchema(BridgeApp app)
    {
        app.Settings["Storage:Provider"] = "Postgres";
        app.Settings["Storage:PostgresConnectionString"] = ConnectionString;
        app.Settings["Storage:PostgresSchema"] = _schema;
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        if (ConnectionString is not null)
        {
            await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
            await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>A test that needs the PostgreSQL server: skipped, with the reason, without one.</summary>
    private sealed class PostgresFactAttribute : FactAttribute
    {
        public PostgresFactAttribute()
        {
            if (ConnectionString is null)
            {
                Skip = $"No PostgreSQL server: set {Variable} to a connection string (.ci/run starts one with .ci/postgres).";
            }
        }
    }
}
