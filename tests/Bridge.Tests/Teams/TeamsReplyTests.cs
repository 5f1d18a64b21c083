using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Teams;
using Bridge.Tests.Admin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Teams;

/// <summary>Replies are the Bot Connector's "Create a reply", in channels, group chats and personal chats alike.</summary>
public sealed class TeamsReplyTests
{
    private const string UserId = "29:1Qm7vX3pL9kR2tY5wN8bC4dF6gH0jK1sA3eU7iO9pZ2xV4bN6mQ8rT0yW5uE1iO3pA7sD9fG2hJ4kL6zX8cV0bN2";
    private const string GroupChatId = "19:8d2f4b6a0c1e43a5b7d9f1e3c5a7b9d0@thread.v2";
    private const string PersonalChatId = "a:1Xk9mQ2pL7rT4vN8bC3dF6gH1jK5sW0zY";
    private const string MessageId = "1767225600042";

    [Theory]
    [InlineData("channel")]
    [InlineData("groupChat")]
    [InlineData("personal")]
    public async Task Each_reply_carries_every_field_of_Create_a_reply(string conversationType)
    {
        await using var teams = await TeamsBridge.StartAsync(a => a.Settings["Admin:ApiKey"] = AdminApp.Key);
        var (activity, conversationId) = In(teams, conversationType);
        await teams.App.LinkAsync(conversationType == "channel" ? TeamsBridge.ChannelId : conversationId, "120363410923125768@g.us", "Field Team", TeamsBridge.TenantId, Platform.Teams);

        Assert.Equal(HttpStatusCode.OK, (await teams.PostAsync(activity)).StatusCode);

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 2);
        var send = Assert.Single(teams.App.WhatsApp.Sends);
        Assert.Equal("Truck 12 is in", send.Message);
        var answer = Assert.Single(teams.BotFramework.Posts, p => p.Text.StartsWith("Sending", StringComparison.Ordinal));
        Assert.EndsWith(conversationType == "channel" ? "The result will be posted in the thread." : "The result will be posted here.", answer.Text);
        Assert.Single(teams.BotFramework.Posts, p => p.Text.StartsWith('✅'));
        foreach (var post in teams.BotFramework.Posts)
        {
            Assert.Equal($"/emea/{TeamsBridge.TenantId}/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{MessageId}", post.RawTarget);
            Assert.Equal("message", (string?)post.Body["type"]);
            Assert.Equal("plain", (string?)post.Body["textFormat"]);
            Assert.Equal(MessageId, (string?)post.Body["replyToId"]);
            Assert.Equal(("28:" + FakeBotFramework.AppId, "WA Bridge"), ((string?)post.Body["from"]?["id"], (string?)post.Body["from"]?["name"]));
            Assert.Equal((UserId, "Maria Lopez"), ((string?)post.Body["recipient"]?["id"], (string?)post.Body["recipient"]?["name"]));
            Assert.Equal(conversationId, (string?)post.Body["conversation"]?["id"]);
        }

        // History says where the outcome went: chats have no threads.
        await teams.App.WaitForLogAsync(line => line.Contains("[2102]"));
        var item = (await teams.App.Api().GetFromJsonAsync<JsonObject>("/admin/api/deliveries"))!["items"]!.AsArray().Single()!;
        Assert.Equal(conversationType == "channel" ? "thread" : "chat", (string?)item["reply"]);
    }

    [Fact]
    public async Task Help_is_sent_as_markdown_so_its_commands_show_as_code()
    {
        await using var teams = await TeamsBridge.StartAsync();
        var (activity, _) = In(teams, "personal", "help");

        await teams.PostAsync(activity);

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        var post = teams.BotFramework.Posts[0];
        Assert.Contains("`@WA Bridge status`", post.Text);
        Assert.Equal("markdown", (string?)post.Body["textFormat"]);
    }

    [Fact]
    public async Task A_group_name_with_markdown_characters_shows_literally()
    {
        await using var teams = await TeamsBridge.StartAsync();
        const string name = "`Ops` *night* _shift_";
        await teams.LinkAsync(groupName: name);

        await teams.PostAsync(teams.Mention("status"));

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        var post = teams.BotFramework.Posts[0];
        Assert.Contains(name, post.Text);
        Assert.Equal("plain", (string?)post.Body["textFormat"]);
    }

    [Fact]
    public async Task A_reply_stored_before_replies_named_their_message_goes_to_the_threads_root_from_the_app_id()
    {
        await using var teams = await TeamsBridge.StartAsync();
        var connector = teams.App.Services.GetRequiredService<TeamsConnectorClient>();
        var old = new ReplyTarget { ConversationId = TeamsBridge.ChannelId, ThreadId = "1767220000456", ServiceUrl = teams.BotFramework.ServiceUrl };

        await connector.PostAsync(old, "✅ Sent", default);

        var post = Assert.Single(teams.BotFramework.Posts);
        Assert.EndsWith("%3Bmessageid%3D1767220000456/activities/1767220000456", post.RawTarget);
        Assert.Equal("28:" + FakeBotFramework.AppId, (string?)post.Body["from"]?["id"]);
        Assert.Null(post.Body["recipient"]);
    }

    /// <summary>The mention fixture moved into a conversation of the given type.</summary>
    [Fact]
    public async Task A_reply_whose_answer_stalls_ends_at_the_timeout_and_another_threads_reply_goes_meanwhile()
    {
        const string otherMessageId = "1767225600077";
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var teams = await TeamsBridge.StartAsync(a => a.Time = clock);
        await teams.LinkAsync();
        var stall = new StalledBody();
        teams.BotFramework.StallPost = post => post.ConversationId.EndsWith(MessageId, StringComparison.Ordinal) && post.Text.StartsWith('✅') ? stall : null;

        await teams.PostAsync(In(teams, "channel").Activity);
        await stall.HeadersSent.WaitAsync(TimeSpan.FromSeconds(30));
        var other = teams.Mention("Gate B at 14:30", otherMessageId);
        other["conversation"]!["id"] = $"{TeamsBridge.ChannelId};messageid={otherMessageId}";
        await teams.PostAsync(other);

        // The clock stands still: the other thread's outcome is posted and recorded while the first answer is held.
        await teams.App.WaitForLogAsync(line => line.Contains("[2102]"));
        Assert.Single(teams.BotFramework.Posts, p => p.ConversationId.EndsWith(otherMessageId, StringComparison.Ordinal) && p.Text.StartsWith('✅'));
        Assert.False(stall.Abandoned.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(16)); // past the 15 s per-try timeout, which covers the body too
        await stall.Abandoned.WaitAsync(TimeSpan.FromSeconds(30));
        await teams.App.WaitForLogAsync(line => line.Contains("[2101]") && line.Contains("TimeoutRejectedException"));
        stall.Release();

        // An ordinary failure: the durable retry posts the outcome again once it falls due.
        teams.App.AdvanceTime(TimeSpan.FromSeconds(5));
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count(p => p.ConversationId.EndsWith(MessageId, StringComparison.Ordinal) && p.Text.StartsWith('✅')) == 2);
    }

    private static (JsonObject Activity, string ConversationId) In(TeamsBridge teams, string conversationType, string command = "Truck 12 is in")
    {
        var activity = teams.Mention(command, MessageId);
        var conversation = activity["conversation"]!.AsObject();
        conversation["conversationType"] = conversationType;
        if (conversationType == "channel")
        {
            conversation["id"] = $"{TeamsBridge.ChannelId};messageid={MessageId}";
            return (activity, $"{TeamsBridge.ChannelId};messageid={MessageId}");
        }

        var id = conversationType == "groupChat" ? GroupChatId : PersonalChatId;
        conversation["id"] = id;
        activity["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TeamsBridge.TenantId } };
        return (activity, id);
    }
}
