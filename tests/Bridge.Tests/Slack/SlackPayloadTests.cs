using System.Net;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Storage;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Teams;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Slack;

/// <summary>Real-world Slack payload shapes (Slack's docs and SDK test suites) and the text Bridge makes of them.</summary>
public sealed class SlackPayloadTests
{
    [Fact]
    public async Task A_mention_command_decodes_Slack_escapes_in_its_argument()
    {
        await using var app = await BridgeApp.StartAsync();
        app.WhatsApp.Groups[FakeTalkNTalk.DefaultSessionId].Add(new FakeGroup("120363410923125771@g.us", "Sales & Marketing <EU>"));
        var mention = JsonNode.Parse(Fixtures.Read("slack-events-app-mention.json"))!;
        mention["event"]!["user"] = BridgeApp.AdminUserId;
        mention["event"]!["text"] = "<@U08BOTUSER9> link Sales &amp; Marketing &lt;EU&gt;";

        await app.PostEventAsync(mention.ToJsonString());

        await app.Slack.WaitForPostsAsync(posts => posts.Count > 0);
        Assert.Contains("Linked this channel to WhatsApp group Sales &amp; Marketing &lt;EU&gt;", Assert.Single(app.Slack.Posts).Text);
        var link = Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default));
        Assert.Equal(("Sales & Marketing <EU>", "120363410923125771@g.us"), (link.GroupName, link.GroupId));
    }

    [Fact]
    public async Task A_late_answer_through_response_url_is_escaped_like_an_immediate_one()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await BridgeApp.StartAsync(a => a.Time = clock);
        app.WhatsApp.Groups[FakeTalkNTalk.DefaultSessionId].Add(new FakeGroup("120363410923125771@g.us", "R&D <core>"));
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.WhatsApp.BeforeRead = () =>
        {
            reading.TrySetResult();
            return release.Task;
        };

        var command = app.SlashCommandAsync("groups R&D");
        await reading.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(3)); // past the ack budget
        var response = await command;
        release.SetResult();

        Assert.Contains("Working on it", await SlashCommandTests.EphemeralText(response));
        await app.Slack.WaitForResponsesAsync(1);
        Assert.Contains("• R&amp;D &lt;core&gt; (120363410923125771@g.us)", Assert.Single(app.Slack.Responses).Text);
    }

    private static readonly string Oversized = new('9', 2000);

    [Fact]
    public async Task A_slash_command_with_an_oversized_trigger_id_is_refused_400_and_nothing_happens()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();

        var response = await app.CreateClient().SendAsync(SlackRequests.Signed("/slack/commands",
            SlackRequests.SlashCommandBody("Hello", responseUrl: app.Slack.ResponseUrl(), triggerId: Oversized)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("trigger_id is longer than 255 characters", await response.Content.ReadAsStringAsync());
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task An_event_with_an_oversized_event_id_or_ts_is_refused_400_and_nothing_happens()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        foreach (var (field, set) in new (string, Action<JsonNode>)[]
        {
            ("event_id", m => m["event_id"] = Oversized),
            ("event.ts", m => m["event"]!["ts"] = Oversized),
        })
        {
            var mention = JsonNode.Parse(Fixtures.Read("slack-events-app-mention.json"))!;
            set(mention);

            var response = await app.PostEventAsync(mention.ToJsonString());

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains($"{field} is longer than 255 characters", await response.Content.ReadAsStringAsync());
        }

        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Empty(app.Slack.Posts);
    }

    [Fact]
    public async Task A_shortcut_with_an_oversized_message_ts_is_refused_400_and_nothing_happens()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();

        var response = await app.PostShortcutAsync(SlackPayloads.MessageAction("Hello", ts: Oversized, responseUrl: app.Slack.ResponseUrl()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("message.ts is longer than 255 characters", await response.Content.ReadAsStringAsync());
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Empty(app.Slack.Responses);
    }

    [Fact]
    public async Task A_Teams_activity_with_an_oversized_id_is_refused_400()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();

        var response = await teams.PostAsync(teams.Mention("Hello", id: Oversized));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("activity id is longer than 255 characters", await response.Content.ReadAsStringAsync());
        Assert.Empty(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task Dedupe_keys_too_long_to_index_are_hashed_and_still_tell_repeats_apart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using var store = new LiteDbStore(Path.Combine(directory, "bridge.db"));
            var key = "teams:" + new string('c', 3000) + ":1";

            Assert.True(await store.TryClaimAsync(key, DateTimeOffset.UtcNow, default));
            Assert.False(await store.TryClaimAsync(key, DateTimeOffset.UtcNow, default));
            Assert.True(await store.TryClaimAsync(key[..^1] + "2", DateTimeOffset.UtcNow, default));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Payload_values_that_reach_the_log_carry_no_control_characters()
    {
        await using var app = await BridgeApp.StartAsync();
        var mention = JsonNode.Parse(Fixtures.Read("slack-events-app-mention.json"))!;
        mention["event_id"] = "Ev1\r\nInformation Bridge[1] forged line\u001b[31m";
        // A command that records no forward, so its event id is claimed, and the retry logged as a repeat.
        mention["event"]!["text"] = "<@U08BOTUSER9> help";

        await app.PostEventAsync(mention.ToJsonString());
        await app.PostEventAsync(mention.ToJsonString(), retryNum: 1);

        await app.WaitForLogAsync(line => line.Contains("[1103]"));
        var line = Assert.Single(app.Logs, l => l.Contains("[1103]"));
        Assert.DoesNotContain(line.TrimEnd(), c => char.IsControl(c));
        Assert.Contains("Ev1??Information Bridge[1] forged line?[31m", line);
    }

    /// <summary>The legacy attachment of Slack's docs (https://docs.slack.dev/messaging/formatting-message-text), as a bot posts it.</summary>
    private static JsonArray LegacyAttachments() => JsonNode.Parse("""
        [{
          "fallback": "Plain-text summary of the attachment.",
          "color": "#2eb886",
          "pretext": "Optional text that appears above the attachment block",
          "author_name": "Bobby Tables",
          "title": "Slack API Documentation",
          "title_link": "https://api.slack.com/",
          "text": "Optional text that appears within the attachment &amp; more",
          "fields": [{ "title": "Priority", "value": "High", "short": false }],
          "image_url": "http://my-website.com/path/to/image.jpg",
          "footer": "Slack API",
          "ts": 123456789
        }]
        """)!.AsArray();

    [Fact]
    public async Task A_shortcut_forwards_legacy_attachments_after_the_text_and_names_their_image()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var payload = SlackPayloads.MessageAction("Deploy finished", responseUrl: app.Slack.ResponseUrl());
        payload["message"]!["attachments"] = LegacyAttachments();

        await app.PostShortcutAsync(payload);

        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, "1767224100.123459");
        Assert.Equal(
            "Deploy finished\n\nOptional text that appears above the attachment block\n*Slack API Documentation (https://api.slack.com/)*\n"
            + "Optional text that appears within the attachment & more\n*Priority*: High",
            Assert.Single(app.WhatsApp.Sends).Message);
        Assert.Contains("The image of the attachment \"Slack API Documentation\" was not sent", reply.Text);
    }

    [Fact]
    public async Task Legacy_attachments_with_only_blocks_or_an_author_and_footer_forward_and_an_empty_one_is_named()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var payload = SlackPayloads.MessageAction("Deploy finished", responseUrl: app.Slack.ResponseUrl());
        // Attachment shapes of https://docs.slack.dev/legacy/legacy-messaging/legacy-secondary-message-attachments.
        payload["message"]!["attachments"] = JsonNode.Parse("""
            [
              { "color": "#f2c744", "blocks": [
                { "type": "section", "text": { "type": "mrkdwn", "text": "Build *42* passed" } },
                { "type": "context", "elements": [{ "type": "plain_text", "text": "main & release" }] }
              ] },
              { "color": "#36a64f", "author_name": "Deploy bot", "footer": "Slack API" },
              { "color": "#ff0000" }
            ]
            """)!.AsArray();

        await app.PostShortcutAsync(payload);

        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, "1767224100.123459");
        Assert.Equal("Deploy finished\n\nBuild *42* passed\nmain & release\n\nDeploy bot\nSlack API", Assert.Single(app.WhatsApp.Sends).Message);
        Assert.Contains("An attachment of the message was not sent: it has no text Bridge can forward.", reply.Text);
    }

    [Fact]
    public async Task A_blocks_only_message_forwards_the_text_of_its_rich_text_and_section_blocks()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var payload = SlackPayloads.MessageAction("", responseUrl: app.Slack.ResponseUrl());
        // Shapes of Slack's block reference (rich_text, section with fields); rich text carries raw characters.
        payload["message"]!["blocks"] = JsonNode.Parse("""
            [
              { "type": "rich_text", "block_id": "r1", "elements": [
                { "type": "rich_text_section", "elements": [
                  { "type": "text", "text": "Truck 12", "style": { "bold": true } },
                  { "type": "text", "text": " is late & <rerouted> " },
                  { "type": "emoji", "name": "truck", "unicode": "1f69a" },
                  { "type": "text", "text": " see " },
                  { "type": "link", "url": "https://status.example.com/t12", "text": "status" } ] },
                { "type": "rich_text_list", "style": "bullet", "indent": 0, "elements": [
                  { "type": "rich_text_section", "elements": [ { "type": "text", "text": "dock 4" } ] },
                  { "type": "rich_text_section", "elements": [ { "type": "text", "text": "dock 7" } ] } ] },
                { "type": "rich_text_quote", "elements": [ { "type": "text", "text": "call the driver" } ] } ] },
              { "type": "divider" },
              { "type": "section", "text": { "type": "mrkdwn", "text": "*ETA* 14:30 &amp; counting" },
                "fields": [ { "type": "plain_text", "text": "Gate: B<2>" } ] },
              { "type": "actions", "elements": [ { "type": "button", "text": { "type": "plain_text", "text": "Ack" }, "action_id": "ack" } ] }
            ]
            """);

        await app.PostShortcutAsync(payload);

        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, "1767224100.123459");
        Assert.Equal(
            "*Truck 12* is late & <rerouted> 🚚 see status (https://status.example.com/t12)\n• dock 4\n• dock 7\n> call the driver\n*ETA* 14:30 & counting\nGate: B<2>",
            Assert.Single(app.WhatsApp.Sends).Message);
        Assert.Contains("The message's actions block was not sent", reply.Text);
    }

    [Fact]
    public async Task A_message_with_only_an_image_block_sends_nothing_and_says_exactly_what_was_left_out()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var payload = SlackPayloads.MessageAction("", responseUrl: app.Slack.ResponseUrl());
        payload["message"]!["blocks"] = JsonNode.Parse("""
            [{ "type": "image", "image_url": "https://example.com/map.png", "alt_text": "map" }]
            """);

        await app.PostShortcutAsync(payload);

        await app.Slack.WaitForResponsesAsync(1);
        Assert.Contains("Nothing was sent to WhatsApp: The message's image block was not sent", app.Slack.Responses[0].Text);
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }
}
