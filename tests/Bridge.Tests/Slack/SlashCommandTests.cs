using System.Net;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Slack;

public sealed class SlashCommandTests
{
    private const string FieldTeam = "120363410923125768@g.us";

    [Fact]
    public async Task A_linked_channel_sends_the_text_and_replies_the_message_id_in_the_thread()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();

        var response = await app.SlashCommandAsync("Hello team! *Truck 12* is in");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Sending to WhatsApp group Field Team", await EphemeralText(response));
        await app.WhatsApp.WaitForSendsAsync(1);
        var send = Assert.Single(app.WhatsApp.Sends);
        Assert.Equal((FieldTeam, "text", "Hello team! *Truck 12* is in"), (send.To, send.Type, send.Message));

        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null));
        var record = app.Slack.Posts.Single(p => p.ThreadTs is null);
        Assert.Equal("C08QWERTY12", record.Channel);
        Assert.Contains("<@U07ZXCVB456> sent to WhatsApp group Field Team", record.Text);
        var reply = app.Slack.Posts.Single(p => p.ThreadTs is not null);
        Assert.Equal(record.Ts, reply.ThreadTs);
        Assert.Contains(send.MessageId!, reply.Text);
        var job = Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Equal(DeliveryStatus.Delivered, job.Status);
    }

    [Fact]
    public async Task An_unlinked_channel_is_told_how_an_admin_links_it_and_nothing_is_sent()
    {
        await using var app = await BridgeApp.StartAsync();

        var response = await app.SlashCommandAsync("Hello team!");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/whatsapp link <group name or chat_id>", await EphemeralText(response));
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Empty(app.WhatsApp.Sends);
    }

    [Fact]
    public async Task In_an_unlinked_channel_a_send_asks_Slack_nothing_before_saying_so()
    {
        await using var app = await BridgeApp.StartAsync();
        app.Slack.AddUser("U08DISPATCH1", "Dispatch");

        var response = await app.SlashCommandAsync("Hello <@U08DISPATCH1>!");

        Assert.Equal(ForwardOutcome.NotLinkedSentence("/whatsapp"), await EphemeralText(response));
        // The forward is built only for a channel that can send: no users.info for the mentioned name.
        Assert.DoesNotContain(app.Slack.Calls, c => c.Method == "users.info");
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task An_admin_links_the_channel_by_exact_group_name()
    {
        await using var app = await BridgeApp.StartAsync();

        var response = await app.SlashCommandAsync("link field team", userId: BridgeApp.AdminUserId);

        Assert.Contains("Linked this channel to WhatsApp group Field Team", await EphemeralText(response));
        var link = Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default));
        Assert.Equal((FieldTeam, "C08QWERTY12", "T08ABCD1234"), (link.GroupId, link.ChannelId, link.WorkspaceId));
    }

    [Fact]
    public async Task A_non_admin_cannot_link_and_nothing_changes()
    {
        await using var app = await BridgeApp.StartAsync();

        var response = await app.SlashCommandAsync("link Field Team", userId: "U07ZXCVB456");

        Assert.Contains("Only Bridge admins", await EphemeralText(response));
        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Fact]
    public async Task Without_configured_admins_a_workspace_admin_from_users_info_may_link()
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings.Remove("Admin:SlackUserIds:0"));
        app.Slack.AddUser("U0WSADMIN01", "Wanda Admin", isAdmin: true);
        app.Slack.AddUser("U0MEMBER001", "Mo Member");

        Assert.Contains("Only Bridge admins", await EphemeralText(await app.SlashCommandAsync("link Drivers", userId: "U0MEMBER001")));
        Assert.Contains("Linked", await EphemeralText(await app.SlashCommandAsync("link Drivers", userId: "U0WSADMIN01")));
        Assert.Equal("Drivers", Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default)).GroupName);
    }

    [Fact]
    public async Task When_Slack_cannot_say_who_is_an_admin_the_answer_says_so_and_nothing_changes()
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings.Remove("Admin:SlackUserIds:0"));

        var response = await app.SlashCommandAsync("link Drivers", userId: "U0UNKNOWN01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Bridge could not check whether you are an admin (Slack users.info failed: user_not_found)", await EphemeralText(response));
        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Fact]
    public async Task An_unknown_group_name_gets_close_matches()
    {
        await using var app = await BridgeApp.StartAsync();

        var text = await EphemeralText(await app.SlashCommandAsync("link Feild Team", userId: BridgeApp.AdminUserId));

        Assert.Contains("Did you mean", text);
        Assert.Contains("Field Team (120363410923125768@g.us)", text);
        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Fact]
    public async Task Unlink_removes_the_channels_link()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();

        var text = await EphemeralText(await app.SlashCommandAsync("unlink", userId: BridgeApp.AdminUserId));

        Assert.Contains("Unlinked this channel from WhatsApp group Field Team", text);
        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Fact]
    public async Task Groups_lists_every_page_and_filters()
    {
        await using var app = await BridgeApp.StartAsync();
        app.WhatsApp.Groups[FakeTalkNTalk.DefaultSessionId].AddRange(
            Enumerable.Range(1, 150).Select(i => new FakeGroup($"1203634109231{i:D5}@g.us", $"Depot {i:D3}")));

        var all = await EphemeralText(await app.SlashCommandAsync("groups"));
        var filtered = await EphemeralText(await app.SlashCommandAsync("groups depot 149"));

        Assert.Contains("WhatsApp groups (153)", all);
        Assert.Contains("WhatsApp groups (1)", filtered);
        Assert.Contains("Depot 149", filtered);
        Assert.True(app.WhatsApp.Requests.Count(r => r.Path.Contains("/groups/?page=2")) >= 1);
    }

    [Fact]
    public async Task Status_shows_each_link_and_whether_its_phone_is_open()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();

        var text = await EphemeralText(await app.SlashCommandAsync("status"));

        Assert.Contains("Field Team (120363410923125768@g.us): ✅ phone connected (open)", text);
    }

    [Fact]
    public async Task A_refused_WhatsApp_key_is_told_as_a_sentence_for_an_admin()
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings["WhatsApp:ApiKey"] = "tk_live_revoked");

        var text = await EphemeralText(await app.SlashCommandAsync("groups"));

        Assert.Equal("Bridge's WhatsApp API key is invalid or was revoked. Tell a Bridge admin to update WhatsApp:ApiKey.", text);
    }

    [Fact]
    public async Task Help_lists_the_commands()
    {
        await using var app = await BridgeApp.StartAsync();

        var text = await EphemeralText(await app.SlashCommandAsync("help"));

        foreach (var word in new[] { "send", "link", "unlink", "groups", "status", "help" })
        {
            Assert.Contains($"/whatsapp {word}", text);
        }
    }

    [Fact]
    public async Task Ssl_check_is_answered_200()
    {
        await using var app = await BridgeApp.StartAsync();
        using var request = SlackRequests.Signed("/slack/commands", "ssl_check=1&token=abc");

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task In_a_channel_Bridge_cannot_post_in_the_outcome_is_told_privately_with_how_to_invite_it()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        app.Slack.PostBehavior = _ => (200, "not_in_channel", null);

        await app.SlashCommandAsync("Hello team!");

        await app.Slack.WaitForResponsesAsync(2);
        Assert.Contains("Invite it with `/invite @Bridge`", app.Slack.Responses[0].Text);
        Assert.Contains($"✅ Sent to WhatsApp group Field Team: message_id {app.WhatsApp.Sends[0].MessageId}", app.Slack.Responses[1].Text);
        Assert.All(app.Slack.Responses, r => Assert.Equal("", r.Authorization));
    }

    [Fact]
    public async Task A_rate_limited_thread_reply_is_posted_after_Retry_After()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var limited = 0;
        app.Slack.PostBehavior = post => post.ThreadTs is not null && Interlocked.Increment(ref limited) == 1 ? (429, "ratelimited", 1) : null;

        await app.SlashCommandAsync("Hello team!");

        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null));
        Assert.Equal(2, limited); // refused once with 429, then taken
        Assert.Contains("✅ Sent", app.Slack.Posts.Single(p => p.ThreadTs is not null).Text);
    }

    internal static async Task<string> EphemeralText(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", (string?)body["response_type"]);
        return System.Net.WebUtility.HtmlDecode((string)body["text"]!);
    }
}
