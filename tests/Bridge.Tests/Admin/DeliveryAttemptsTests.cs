using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using Bridge.Fakes;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Admin;

public sealed class DeliveryAttemptsTests
{
    /// <summary>A send WhatsApp does not take twice (503 "Maintenance"), then takes; returns the delivery as the API shows it.</summary>
    private static async Task<JsonObject> RetriedSendAsync(BridgeApp app)
    {
        await app.LinkAsync();
        var calls = 0;
        app.WhatsApp.SendBehavior = _ => Interlocked.Increment(ref calls) <= 2 ? new FakeAnswer(503, "Maintenance") : null;
        await app.SlashCommandAsync("Hello team!");
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null && p.Text.Contains("✅", StringComparison.Ordinal)));
        var id = (long)(await app.Api().GetFromJsonAsync<JsonObject>("/admin/api/deliveries"))!["items"]![0]!["id"]!;
        return (await app.Api().GetFromJsonAsync<JsonObject>($"/admin/api/deliveries/{id}"))!;
    }

    [Fact]
    public async Task Each_attempt_has_its_time_status_provider_detail_and_the_wait_that_followed_in_one_vocabulary()
    {
        await using var app = await AdminApp.StartAsync(a => a.Settings["WhatsApp:MaxSendAttempts"] = "3");

        var delivery = await RetriedSendAsync(app);

        var attempts = delivery["attempts"]!.AsArray();
        Assert.Equal(["NotTaken", "NotTaken", "Sent"], attempts.Select(a => (string?)a!["outcome"]));
        Assert.Equal([503, 503, 201], attempts.Select(a => (int?)a!["statusCode"]));
        Assert.Equal("Maintenance", (string?)attempts[0]!["detail"]);
        Assert.Equal("WhatsApp was unavailable and did not take the message.", (string?)attempts[0]!["text"]);
        foreach (var waited in attempts.Take(2))
        {
            var at = (DateTimeOffset)waited!["at"]!;
            var next = (DateTimeOffset)waited["nextAttemptAt"]!;
            Assert.True(next > at);
            Assert.Equal((next - at).TotalSeconds, (double)waited["waitSeconds"]!, 3);
        }

        Assert.Null(attempts[2]!["waitSeconds"]);
        Assert.True((DateTimeOffset)attempts[2]!["at"]! >= (DateTimeOffset)attempts[1]!["nextAttemptAt"]!);
    }

    [Fact]
    public async Task The_page_opens_each_rows_attempts_in_a_details_element_in_sentences()
    {
        await using var app = await AdminApp.StartAsync(a => a.Settings["WhatsApp:MaxSendAttempts"] = "3");
        await RetriedSendAsync(app);
        var client = AdminPageTests.Browser(app);
        await AdminPageTests.SignInAsync(client, AdminApp.Key);

        var page = new HtmlParser().ParseDocument(await client.GetStringAsync("/admin"));

        var details = page.QuerySelector("#deliveries-rows tr details.attempts")!;
        Assert.Equal("3 attempts", details.QuerySelector("summary")!.TextContent);
        var items = details.QuerySelectorAll("li");
        Assert.Equal(["NotTaken", "NotTaken", "Sent"], items.Select(i => i.GetAttribute("data-outcome")));
        Assert.Contains("HTTP 503", items[0].TextContent);
        Assert.Contains("WhatsApp was unavailable and did not take the message.", items[0].TextContent);
        Assert.Contains("Said: Maintenance", items[0].TextContent);
        Assert.Contains("Next attempt after", items[0].TextContent);
        Assert.DoesNotContain("Next attempt", items[2].TextContent);
        Assert.DoesNotContain("(NotTaken)", page.Body!.TextContent);
    }
}
