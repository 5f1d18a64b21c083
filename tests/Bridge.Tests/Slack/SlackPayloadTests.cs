using System.Net;
using System.Text.Json.Nodes;
using Bridge.FakeTalkNTalk;
using Bridge.Tests.Infrastructure;
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
}
