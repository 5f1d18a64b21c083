using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Fakes;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Admin;

public sealed class DeliveryRetryApiTests
{
    private const string Drivers = "120363410923125769@g.us";

    /// <summary>Links the default channel to Drivers, whose sends end as <paramref name="answer"/> says, and waits for the failed outcome in the thread.</summary>
    private static async Task<JsonObject> ForwardThatEndsAsync(BridgeApp app, FakeAnswer answer, string outcome)
    {
        await app.LinkAsync(groupId: Drivers, groupName: "Drivers");
        app.WhatsApp.SendBehavior = _ => answer;
        await app.SlashCommandAsync("Truck 12 is in");
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null && p.Text.Contains(outcome, StringComparison.Ordinal)));
        return (JsonObject)(await app.Api().GetFromJsonAsync<JsonObject>("/admin/api/deliveries"))!["items"]![0]!;
    }

    [Fact]
    public async Task A_failed_delivery_retried_through_the_api_is_sent_again_and_its_thread_gets_the_new_outcome()
    {
        await using var app = await AdminApp.StartAsync();
        var failed = await ForwardThatEndsAsync(app, new FakeAnswer(400, "The group does not accept messages."), "❌");
        var sendsBefore = app.WhatsApp.Sends.Count;
        var threadTs = app.Slack.Posts.Last(p => p.ThreadTs is not null).ThreadTs;
        app.WhatsApp.SendBehavior = null;

        var response = await app.Api().PostAsync($"/admin/api/deliveries/{(long)failed["id"]!}/retry", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var retry = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((long)failed["id"]!, (long?)retry["retryOf"]);
        Assert.StartsWith("admin-api", (string?)retry["retriedBy"]);
        Assert.True((long)retry["id"]! > (long)failed["id"]!);
        Assert.Equal($"/admin/api/deliveries/{(long)retry["id"]!}", response.Headers.Location!.OriginalString);
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs == threadTs && p.Text.Contains("✅", StringComparison.Ordinal)));
        var resent = Assert.Single(app.WhatsApp.Sends.Skip(sendsBefore));
        Assert.Equal(Drivers, resent.To);
        var outcome = app.Slack.Posts.Single(p => p.ThreadTs == threadTs && p.Text.Contains("✅", StringComparison.Ordinal));
        Assert.Contains("sent again by a Bridge admin", outcome.Text);
        Assert.Contains(resent.MessageId!, outcome.Text);
        Assert.DoesNotContain("❌", outcome.Text);

        var history = (await app.Api().GetFromJsonAsync<JsonObject>("/admin/api/deliveries"))!["items"]!.AsArray();
        Assert.Equal([(long)retry["id"]!, (long)failed["id"]!], history.Select(i => (long)i!["id"]!));
        Assert.Equal(("Delivered", (long)failed["id"]!), ((string?)history[0]!["status"], (long?)history[0]!["retryOf"]));
        Assert.Equal(("Failed", (long)retry["id"]!), ((string?)history[1]!["status"], (long?)history[1]!["retriedAs"]));

        // Retried once: a second retry of the same delivery is refused and sends nothing.
        var again = await app.Api().PostAsync($"/admin/api/deliveries/{(long)failed["id"]!}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"already retried, as delivery {(long)retry["id"]!}", (string?)(await again.Content.ReadFromJsonAsync<JsonObject>())!["detail"]);
        Assert.Single(app.WhatsApp.Sends.Skip(sendsBefore));
    }

    [Fact]
    public async Task A_possibly_delivered_delivery_is_retried_only_when_confirmed()
    {
        await using var app = await AdminApp.StartAsync();
        var unknown = await ForwardThatEndsAsync(app, new FakeAnswer(DropConnection: true), "⚠️");
        Assert.Equal("Unknown", (string?)unknown["status"]);
        var sendsBefore = app.WhatsApp.Sends.Count;
        app.WhatsApp.SendBehavior = null;
        var api = app.Api();

        var refused = await api.PostAsync($"/admin/api/deliveries/{(long)unknown["id"]!}/retry", null);
        var refusedFalse = await api.PostAsJsonAsync($"/admin/api/deliveries/{(long)unknown["id"]!}/retry", new { confirm = false });

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (refused.StatusCode, refusedFalse.StatusCode));
        Assert.Contains("this may send the message twice", (string?)(await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"], StringComparison.OrdinalIgnoreCase);
        Assert.Single((await api.GetFromJsonAsync<JsonObject>("/admin/api/deliveries"))!["items"]!.AsArray());

        var confirmed = await api.PostAsJsonAsync($"/admin/api/deliveries/{(long)unknown["id"]!}/retry", new { confirm = true });

        Assert.Equal(HttpStatusCode.Created, confirmed.StatusCode);
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null && p.Text.Contains("✅", StringComparison.Ordinal)));
        Assert.Equal(Drivers, Assert.Single(app.WhatsApp.Sends.Skip(sendsBefore)).To);
    }

    [Fact]
    public async Task Retrying_a_delivered_or_unknown_delivery_is_refused()
    {
        await using var app = await AdminApp.StartAsync();
        var delivered = await ForwardThatEndsAsync(app, new FakeAnswer(), "✅");
        var api = app.Api();

        var again = await api.PostAsync($"/admin/api/deliveries/{(long)delivered["id"]!}/retry?confirm=true", null);
        var unknown = await api.PostAsync("/admin/api/deliveries/987654/retry", null);
        var one = await api.GetAsync("/admin/api/deliveries/987654");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("was delivered", (string?)(await again.Content.ReadFromJsonAsync<JsonObject>())!["detail"]);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (unknown.StatusCode, one.StatusCode));
        Assert.Single(app.WhatsApp.Sends);
    }
}
