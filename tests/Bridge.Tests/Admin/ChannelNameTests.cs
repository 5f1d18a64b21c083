using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Teams;

namespace Bridge.Tests.Admin;

public sealed class ChannelNameTests
{
    [Fact]
    public async Task Slack_channel_names_come_from_conversations_info_asked_once_for_the_links_and_deliveries()
    {
        await using var app = await AdminApp.StartAsync();
        app.Slack.Channels["C08QWERTY12"] = "dispatch";
        await app.LinkAsync();
        await app.SlashCommandAsync("Hello team!");
        await app.WhatsApp.WaitForSendsAsync(1);
        var client = AdminPageTests.Browser(app);
        await AdminPageTests.SignInAsync(client, AdminApp.Key);

        var page = await AdminPageTests.ReadAsync(await client.GetAsync("/admin"));
        await client.GetAsync("/admin");
        var deliveries = await app.Api().GetFromJsonAsync<JsonObject>("/admin/api/deliveries");

        var channel = page.QuerySelector("#links tbody td[data-label=Channel]")!.TextContent;
        Assert.Contains("Slack · #dispatch", channel);
        Assert.Contains("C08QWERTY12", channel);
        Assert.Contains("Slack · #dispatch", page.QuerySelector("#deliveries-rows td[data-label=From]")!.TextContent);
        // The group by name, with its chat_id below.
        Assert.Equal("Field Team120363410923125768@g.us", page.QuerySelector("#deliveries-rows td[data-label=Group]")!.TextContent);
        Assert.Equal("#dispatch", (string?)deliveries!["items"]![0]!["channelName"]);
        Assert.Contains(page.QuerySelectorAll("#seen-channels option"), o => o.GetAttribute("value") == "C08QWERTY12" && o.TextContent.StartsWith("#dispatch"));
        Assert.Single(app.Slack.Calls, c => c.Method == "conversations.info");
    }

    [Fact]
    public async Task Without_the_channels_read_scope_the_page_shows_channel_ids()
    {
        await using var app = await AdminApp.StartAsync();
        app.Slack.MethodErrors["conversations.info"] = new SlackError("missing_scope", "channels:read");
        await app.LinkAsync();
        var client = AdminPageTests.Browser(app);
        await AdminPageTests.SignInAsync(client, AdminApp.Key);

        var response = await client.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var channel = (await AdminPageTests.ReadAsync(response)).QuerySelector("#links tbody td[data-label=Channel]")!;
        Assert.Equal("C08QWERTY12", channel.QuerySelector("code")!.TextContent);
        Assert.DoesNotContain("#", channel.TextContent);
    }

    [Fact]
    public async Task A_Teams_channel_name_from_channelData_is_kept_with_a_link_made_there_and_with_each_forward()
    {
        await using var teams = await TeamsBridge.StartAsync(a => a.Settings["Admin:ApiKey"] = AdminApp.Key, admin: true);
        JsonObject Named(JsonObject activity)
        {
            activity["channelData"]!["channel"]!["name"] = "Dispatch";
            activity["channelData"]!["team"]!["name"] = "Operations";
            return activity;
        }

        await teams.PostAsync(Named(teams.Mention("link Field Team")));
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith("Linked", StringComparison.Ordinal)));
        await teams.PostAsync(Named(teams.Activity("teams-message-mention.json")));
        await teams.App.WhatsApp.WaitForSendsAsync(1);

        Assert.Equal("Operations › Dispatch", Assert.Single(await teams.App.LinkStore.ListLinksAsync(null, null, null, default)).ChannelName);
        var job = Assert.Single(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Equal("Operations › Dispatch", (await teams.App.ForwardStore.GetForwardAsync(job.ForwardId, default))!.ChannelName);
        var deliveries = await teams.App.Api().GetFromJsonAsync<JsonObject>("/admin/api/deliveries");
        Assert.Equal("Operations › Dispatch", (string?)deliveries!["items"]![0]!["channelName"]);
        var links = await teams.App.Api().GetFromJsonAsync<JsonArray>("/admin/api/links");
        Assert.Equal("Operations › Dispatch", (string?)links![0]!["channelName"]);
    }
}
