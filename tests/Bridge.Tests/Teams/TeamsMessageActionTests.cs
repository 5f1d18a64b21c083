using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Teams;

public sealed class TeamsMessageActionTests
{
    private const string RootThreadPath =
        "/emea/7d3f5a2b-9c1e-4f8a-b6d2-1e0c9a8b7f65/v3/conversations/19%3A4c6e8a0b2d4f46a8b0c2e4f6a8b0c2d4%40thread.tacv2%3Bmessageid%3D1767220000456/activities";

    private const string ForwardedText =
        "Please confirm the new ETA\n\n*Jonas Weber:* *Truck 12* delayed ~15~ ~30 min & rerouted <urgent>. Dashboard:";

    [Fact]
    public async Task The_action_answers_at_once_then_sends_the_HTML_and_image_and_replies_in_the_root_thread()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        teams.App.WhatsApp.BeforeSend = () => release.Task;

        var response = await teams.PostAsync(teams.Activity("teams-submit-action-message.json")).WaitAsync(TimeSpan.FromSeconds(30));

        // Answered while WhatsApp still holds the send: the action does not wait for delivery.
        Assert.Empty(teams.App.WhatsApp.Sends);
        release.SetResult();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var task = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task"]!;
        Assert.Equal("message", (string?)task["type"]);
        Assert.StartsWith("Sending to WhatsApp group Field Team", (string?)task["value"]);

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        var send = Assert.Single(teams.App.WhatsApp.Sends);
        Assert.Equal(("image", "image/png", ForwardedText), (send.Type, send.MimeType, send.Message));
        var reply = Assert.Single(teams.BotFramework.Posts);
        Assert.Equal(RootThreadPath + "/1767224100456", reply.RawTarget);
        Assert.Equal($"✅ Sent to WhatsApp group Field Team: message_id {send.MessageId}", reply.Text);
        Assert.Equal("Bearer " + teams.Entra.IssuedToken(1), reply.Authorization);
        Assert.StartsWith("Bearer bot-token-", Assert.Single(teams.BotFramework.Downloads).Authorization);
        var forward = (await teams.App.ForwardStore.GetForwardAsync(Assert.Single(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)).ForwardId, default))!;
        Assert.Equal(("5b1e9c7a-2d4f-4a8b-9e3c-7f6a5d4c3b21", "1767220000456"), (forward.UserId, forward.Reply.ThreadId));
    }

    [Fact]
    public async Task While_the_store_is_known_lost_the_action_and_a_mention_get_the_sentence_and_nothing_is_recorded_or_sent()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        // Lost as the store marks it when a write fails (a full disk: DurableAcceptTests, a database cut off: DatabaseLossTests).
        teams.App.Services.GetRequiredService<StoreAvailability>().MarkLost("its disk is full");

        var action = await teams.PostAsync(teams.Activity("teams-submit-action-message.json"));
        var mention = await teams.PostAsync(teams.Mention("send Truck 12 is late"));

        // The pop-up and the thread are where a person reads Bridge's answers; the statuses go to the Connector only.
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (action.StatusCode, mention.StatusCode));
        var task = JsonNode.Parse(await action.Content.ReadAsStringAsync())!["task"]!;
        Assert.Equal(ForwardOutcome.NotRecordedSentence("its disk is full"), (string?)task["value"]);
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Equal(ForwardOutcome.NotRecordedSentence("its disk is full"), Assert.Single(teams.BotFramework.Posts).Text);
        Assert.Empty(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Empty(teams.App.WhatsApp.Sends);
    }

    [Fact]
    public async Task Without_attachments_the_Graph_hosted_image_is_named_in_the_reply_and_the_text_is_sent()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var activity = teams.Activity("teams-submit-action-message.json");
        activity["value"]!["messagePayload"]!["attachments"] = new JsonArray();

        var response = await teams.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        var send = Assert.Single(teams.App.WhatsApp.Sends);
        Assert.Equal(("text", ForwardedText), (send.Type, send.Message));
        var reply = teams.BotFramework.Posts[0].Text;
        Assert.Contains($"message_id {send.MessageId}", reply);
        Assert.Contains("1 inline image could not be fetched", reply);
        Assert.Empty(teams.BotFramework.Downloads);
    }

    [Fact]
    public async Task In_a_channel_that_is_not_linked_the_action_says_how_to_link_it_and_nothing_is_stored()
    {
        await using var teams = await TeamsBridge.StartAsync();

        var response = await teams.PostAsync(teams.Activity("teams-submit-action-message.json"));

        var task = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task"]!;
        Assert.Contains("@WA Bridge link <group name or chat_id>", (string?)task["value"]);
        Assert.Empty(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task The_same_action_delivered_twice_is_sent_once()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var activity = teams.Activity("teams-submit-action-message.json");

        await teams.PostAsync(activity);
        var again = await teams.PostAsync(activity);

        Assert.Contains("already sent", (string?)JsonNode.Parse(await again.Content.ReadAsStringAsync())!["task"]!["value"]);
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Single(teams.App.WhatsApp.Sends);
    }

    [Fact]
    public async Task The_same_message_sent_again_with_a_second_press_is_answered_already_sent()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var first = teams.Activity("teams-submit-action-message.json");
        var second = teams.Activity("teams-submit-action-message.json");
        second["id"] = "f:7c2d1e0f-second-press";

        await teams.PostAsync(first);
        var again = await teams.PostAsync(second);

        Assert.StartsWith("This message was already sent to WhatsApp.", (string?)JsonNode.Parse(await again.Content.ReadAsStringAsync())!["task"]!["value"]);
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Single(teams.App.WhatsApp.Sends);
    }

    [Fact]
    public async Task A_file_shared_in_the_channel_is_named_in_the_reply_never_dropped_silently()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var activity = teams.Activity("teams-submit-action-message.json");
        activity["value"]!["messagePayload"]!["attachments"]!.AsArray().Add(new JsonObject
        {
            ["id"] = "9f1c2a9b-8e7d-4c3b-2a1f-0e9d8c7b6a5f",
            ["contentType"] = "reference",
            ["contentUrl"] = "https://contoso.sharepoint.com/sites/ops/Shared%20Documents/General/report.pdf",
            ["name"] = "report.pdf",
        });

        await teams.PostAsync(activity);

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Single(teams.App.WhatsApp.Sends);
        Assert.Contains(
            "report.pdf could not be forwarded: files shared in Teams channels are stored in SharePoint, which Bridge cannot read.",
            teams.BotFramework.Posts[0].Text);
    }

    [Fact]
    public async Task A_message_with_only_a_channel_file_says_why_nothing_was_sent()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var activity = teams.Activity("teams-submit-action-message.json");
        var message = activity["value"]!["messagePayload"]!;
        message["body"]!["content"] = "<attachment id=\"9f1c\"></attachment>";
        message["from"] = null;
        message["attachments"] = new JsonArray(new JsonObject { ["id"] = "9f1c", ["contentType"] = "reference", ["contentUrl"] = "https://contoso.sharepoint.com/x.pdf", ["name"] = "x.pdf" });

        var response = await teams.PostAsync(activity);

        var answer = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task"]!["value"];
        Assert.Equal("Nothing was sent to WhatsApp: x.pdf could not be forwarded: files shared in Teams channels are stored in SharePoint, which Bridge cannot read.", answer);
        Assert.Empty(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task A_message_with_tens_of_thousands_of_nested_tags_is_refused_with_a_reason()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var activity = teams.Activity("teams-submit-action-message.json");
        activity["value"]!["messagePayload"]!["body"]!["content"] = string.Concat(Enumerable.Repeat("<div><b>", 25_000)) + "deep";

        var response = await teams.PostRawAsync(
            activity.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
            "Bearer " + teams.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("This message has too much formatting", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task"]!["value"]);
        Assert.Empty(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task Fetch_task_is_answered_with_a_message_naming_the_groups()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();

        var response = await teams.PostAsync(teams.Activity("teams-fetch-task-message.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var task = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task"]!;
        Assert.Equal("message", (string?)task["type"]);
        Assert.Equal("Bridge sends this message to WhatsApp group Field Team.", (string?)task["value"]);
        Assert.Empty(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task An_unknown_action_command_is_answered_with_a_message()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var activity = teams.Activity("teams-submit-action-message.json");
        activity["value"]!["commandId"] = "somethingElse";

        var response = await teams.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("does not know this action", await response.Content.ReadAsStringAsync());
        Assert.Empty(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Theory]
    [InlineData("invoke", "adaptiveCard/action", HttpStatusCode.NotImplemented)]
    [InlineData("invoke", "composeExtension/query", HttpStatusCode.NotImplemented)]
    [InlineData("conversationUpdate", null, HttpStatusCode.OK)]
    [InlineData("messageReaction", null, HttpStatusCode.OK)]
    public async Task Other_activities_get_the_status_the_protocol_expects(string type, string? name, HttpStatusCode expected)
    {
        await using var teams = await TeamsBridge.StartAsync();
        var activity = teams.Activity("teams-fetch-task-message.json");
        activity["type"] = type;
        activity["name"] = name;
        activity["value"] = "not an object";

        var response = await teams.PostAsync(activity);

        Assert.Equal(expected, response.StatusCode);
        Assert.Empty(teams.BotFramework.Posts);
    }

    [Fact]
    public async Task A_submit_action_whose_value_is_not_an_object_is_answered_not_failed()
    {
        await using var teams = await TeamsBridge.StartAsync();
        var activity = teams.Activity("teams-submit-action-message.json");
        activity["value"] = "garbage";

        var response = await teams.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("does not know this action", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void The_manifests_action_command_is_the_one_Bridge_handles()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!Directory.Exists(Path.Combine(root.FullName, "manifests", "teams")))
        {
            root = root.Parent!;
        }

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(root.FullName, "manifests", "teams", "manifest.json")))!;
        var command = manifest["composeExtensions"]![0]!["commands"]![0]!;
        Assert.Equal(("sendToWhatsApp", "action"), ((string?)command["id"], (string?)command["type"]));
        Assert.Equal(["message"], command["context"]!.AsArray().Select(c => (string?)c));
        Assert.Equal(["team", "groupChat", "personal"], manifest["bots"]![0]!["scopes"]!.AsArray().Select(c => (string?)c));
        Assert.Contains("sendToWhatsApp", Bridge.Teams.TeamsActivityHandler.SendCommandIds);
    }
}
