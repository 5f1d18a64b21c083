using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Slack;
using Bridge.Tests.Teams;

namespace Bridge.Tests.Admin;

public sealed class LinkEditTests
{
    private const string FieldTeam = "120363410923125768@g.us";
    private const string Drivers = "120363410923125769@g.us";
    private const string SupportDesk = "120363410923125770@g.us";

    private static async Task<JsonObject> PatchAsync(BridgeApp app, string linkId, object change, HttpStatusCode expected)
    {
        var response = await app.Api().PatchAsJsonAsync($"/admin/api/links/{linkId}", change);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        return body;
    }

    [Fact]
    public async Task A_paused_link_refuses_a_send_with_a_sentence_and_sends_nothing_until_it_is_resumed()
    {
        await using var app = await AdminApp.StartAsync();
        var link = await app.LinkAsync();

        Assert.Equal(true, (bool?)(await PatchAsync(app, link.Id, new { paused = true }, HttpStatusCode.OK))["paused"]);
        var refused = await SlashCommandTests.EphemeralText(await app.SlashCommandAsync("Hello team!"));

        Assert.Equal(
            "Nothing was sent: the link to WhatsApp group Field Team is paused. Ask a Bridge admin to resume it on the Bridge admin page (Links).",
            refused);
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Empty(app.WhatsApp.Sends);
        var status = await SlashCommandTests.EphemeralText(await app.SlashCommandAsync("status"));
        Assert.Contains("Field Team (120363410923125768@g.us) ⏸️ paused", status);

        Assert.Equal(false, (bool?)(await PatchAsync(app, link.Id, new { paused = false }, HttpStatusCode.OK))["paused"]);
        var sent = await SlashCommandTests.EphemeralText(await app.SlashCommandAsync("Hello again!"));

        Assert.StartsWith("Sending to WhatsApp group Field Team.", sent);
        await app.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal((FieldTeam, "Hello again!"), (Assert.Single(app.WhatsApp.Sends).To, app.WhatsApp.Sends[0].Message));
    }

    [Fact]
    public async Task With_one_of_two_links_paused_the_message_goes_to_the_other_and_the_reply_names_the_skipped_group()
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync();
        var drivers = await app.LinkAsync(groupId: Drivers, groupName: "Drivers");
        await PatchAsync(app, drivers.Id, new { paused = true }, HttpStatusCode.OK);

        var text = await SlashCommandTests.EphemeralText(await app.SlashCommandAsync("Hello team!"));

        Assert.Equal(
            "Sending to WhatsApp group Field Team. The result will be posted in the thread. Not sent to Drivers: the link to WhatsApp group Drivers is paused. Ask a Bridge admin to resume it on the Bridge admin page (Links).",
            text);
        await app.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal(FieldTeam, Assert.Single(app.WhatsApp.Sends).To);
        Assert.Equal([FieldTeam], (await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)).Select(j => j.GroupId));
    }

    [Fact]
    public async Task A_paused_Teams_link_tells_the_sender_in_the_thread_and_sends_nothing()
    {
        await using var teams = await TeamsBridge.StartAsync(a => a.Settings["Admin:ApiKey"] = AdminApp.Key);
        var link = await teams.LinkAsync();
        await PatchAsync(teams.App, link.Id, new { paused = true }, HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, (await teams.PostAsync(teams.Activity("teams-message-mention.json"))).StatusCode);

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Equal(
            "Nothing was sent: the link to WhatsApp group Field Team is paused. Ask a Bridge admin to resume it on the Bridge admin page (Links).",
            teams.BotFramework.Posts[0].Text);
        Assert.Empty(teams.App.WhatsApp.Sends);
        Assert.Empty(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task Changing_the_group_sends_the_next_message_to_the_new_group_under_its_name()
    {
        await using var app = await AdminApp.StartAsync();
        var link = await app.LinkAsync();

        var changed = await PatchAsync(app, link.Id, new { group = SupportDesk }, HttpStatusCode.OK);

        Assert.Equal((SupportDesk, "Support Desk", false), ((string?)changed["groupId"], (string?)changed["groupName"], (bool?)changed["paused"]));
        Assert.StartsWith("Sending to WhatsApp group Support Desk.", await SlashCommandTests.EphemeralText(await app.SlashCommandAsync("Moved")));
        await app.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal(SupportDesk, Assert.Single(app.WhatsApp.Sends).To);
        Assert.Equal((link.Id, link.ChannelId), (Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default)).Id, link.ChannelId));
    }

    [Fact]
    public async Task A_change_to_a_group_the_channel_already_has_an_unknown_group_or_bad_input_is_refused_and_changes_nothing()
    {
        await using var app = await AdminApp.StartAsync();
        var link = await app.LinkAsync();
        await app.LinkAsync(groupId: Drivers, groupName: "Drivers");

        var duplicate = await PatchAsync(app, link.Id, new { group = Drivers, paused = true }, HttpStatusCode.Conflict);
        var unknown = await PatchAsync(app, link.Id, new { group = "120363000000000001@g.us" }, HttpStatusCode.NotFound);
        var notAGroup = await PatchAsync(app, link.Id, new { group = "+27000000000" }, HttpStatusCode.BadRequest);
        var nothing = await PatchAsync(app, link.Id, new { }, HttpStatusCode.BadRequest);
        var gone = await PatchAsync(app, "no-such-link", new { paused = true }, HttpStatusCode.NotFound);
        var requests = app.WhatsApp.Requests.Count;
        var notASession = await PatchAsync(app, link.Id, new { group = Drivers, sessionId = "../x" }, HttpStatusCode.BadRequest);

        Assert.Equal("The link already exists", (string?)duplicate["title"]);
        Assert.Contains("WhatsApp group Drivers (120363410923125769@g.us)", (string?)duplicate["detail"]);
        Assert.Equal("Unknown group", (string?)unknown["title"]);
        Assert.Contains("must be a WhatsApp group chat_id ending in @g.us", (string?)notAGroup["errors"]!["group"]![0]);
        Assert.Contains("Say what to change", (string?)nothing["errors"]!["group"]![0]);
        Assert.Equal("Unknown link", (string?)gone["title"]);
        Assert.StartsWith("SessionId must be a TalkNTalk phone chat_id", (string?)notASession["errors"]!["sessionId"]![0]);
        Assert.Equal(requests, app.WhatsApp.Requests.Count);
        var stored = (await app.LinkStore.ListLinksAsync(null, null, null, default)).Single(l => l.Id == link.Id);
        Assert.Equal((FieldTeam, "Field Team", false), (stored.GroupId, stored.GroupName, stored.Paused));
    }
}
