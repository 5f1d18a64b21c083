using System.Net;
using System.Text.Json.Nodes;
using Bridge.FakeTalkNTalk;
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
        app.WhatsApp.Groups[FakeTalkNTalk.FakeTalkNTalk.DefaultSessionId].Add(new FakeGroup("120363410923125771@g.us", "Sales & Marketing <EU>"));
        var mention = JsonNode.Parse(Fixtures.Read("slack-events-app-mention.json"))!;
        mention["event"]!["user"] = BridgeApp.AdminUserId;
        mention["event"]!["text"] = "<@U08BOTUSER9> link Sales &amp; Marketing &lt;EU&gt;";

        await app.PostEventAsync(mention.ToJsonString());

        await app.Slack.WaitForPostsAsync(posts => posts.Count > 0);
        Assert.Contains("Linked this channel to WhatsApp group Sales &amp; Marketing &lt;EU&gt;", Assert.Single(app.Slack.Posts).Text);
        var link = Assert.Single(app.Store.ListLinks());
        Assert.Equal(("Sales & Marketing <EU>", "120363410923125771@g.us"), (link.GroupName, link.GroupId));
    }

    [Fact]
    public async Task A_late_answer_through_response_url_is_escaped_like_an_immediate_one()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await BridgeApp.StartAsync(a => a.Time = clock);
        app.WhatsApp.Groups[FakeTalkNTalk.FakeTalkNTalk.DefaultSessionId].Add(new FakeGroup("120363410923125771@g.us", "R&D <core>"));
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
        app.Link();

        var response = await app.CreateClient().SendAsync(SlackRequests.Signed("/slack/commands",
            SlackRequests.SlashCommandBody("Hello", responseUrl: app.Slack.ResponseUrl(), triggerId: Oversized)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("trigger_id is longer than 255 characters", await response.Content.ReadAsStringAsync());
        Assert.Empty(app.Store.QueryJobs(new DeliveryQuery()));
    }

    [Fact]
    public async Task An_event_with_an_oversized_event_id_or_ts_is_refused_400_and_nothing_happens()
    {
        await using var app = await BridgeApp.StartAsync();
        app.Link();
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

        Assert.Empty(app.Store.QueryJobs(new DeliveryQuery()));
        Assert.Empty(app.Slack.Posts);
    }

    [Fact]
    public async Task A_shortcut_with_an_oversized_message_ts_is_refused_400_and_nothing_happens()
    {
        await using var app = await BridgeApp.StartAsync();
        app.Link();

        var response = await app.PostShortcutAsync(SlackPayloads.MessageAction("Hello", ts: Oversized, responseUrl: app.Slack.ResponseUrl()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("message.ts is longer than 255 characters", await response.Content.ReadAsStringAsync());
        Assert.Empty(app.Store.QueryJobs(new DeliveryQuery()));
        Assert.Empty(app.Slack.Responses);
    }

    [Fact]
    public async Task A_Teams_activity_with_an_oversized_id_is_refused_400()
    {
        await using var teams = await TeamsBridge.StartAsync();
        teams.Link();

        var response = await teams.PostAsync(teams.Mention("Hello", id: Oversized));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("activity id is longer than 255 characters", await response.Content.ReadAsStringAsync());
        Assert.Empty(teams.App.Store.QueryJobs(new DeliveryQuery()));
    }

    [Fact]
    public void Dedupe_keys_too_long_to_index_are_hashed_and_still_tell_repeats_apart()
    {
        var path = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");
        using var store = new LiteDbStore(path);
        var key = "teams:" + new string('c', 3000) + ":1";

        Assert.True(store.TryClaim(key, DateTimeOffset.UtcNow));
        Assert.False(store.TryClaim(key, DateTimeOffset.UtcNow));
        Assert.True(store.TryClaim(key[..^1] + "2", DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Payload_values_that_reach_the_log_carry_no_control_characters()
    {
        await using var app = await BridgeApp.StartAsync();
        var mention = JsonNode.Parse(Fixtures.Read("slack-events-app-mention.json"))!;
        mention["event_id"] = "Ev1\r\nInformation Bridge[1] forged line\u001b[31m";

        await app.PostEventAsync(mention.ToJsonString());
        await app.PostEventAsync(mention.ToJsonString(), retryNum: 1);

        await app.WaitForLogAsync(line => line.Contains("[1103]"));
        lock (app.Logs)
        {
            var line = Assert.Single(app.Logs, l => l.Contains("[1103]"));
            Assert.DoesNotContain(line.TrimEnd(), c => char.IsControl(c));
            Assert.Contains("Ev1??Information Bridge[1] forged line?[31m", line);
        }
    }
}
