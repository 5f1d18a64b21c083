using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bridge.Storage;
using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Slack;

public sealed partial class SlackShortcutTests
{
    private const string ThreadTs = "1767223000.000200";

    [Fact]
    public async Task Shortcut_on_a_threaded_message_with_an_image_sends_it_captioned_and_replies_in_the_thread()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var image = RandomBytes(248_913);
        var payload = JsonNode.Parse(Fixtures.Read("slack-message-action.json"))!;
        var url = app.Slack.AddFile("truck12-dashboard.png", image, "image/png");
        payload["message"]!["files"]![0]!["url_private_download"] = url;
        payload["message"]!["files"]![0]!["url_private"] = url;
        payload["response_url"] = app.Slack.ResponseUrl();

        var response = await app.PostShortcutAsync(payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var reply = await ReplyInThreadAsync(app, ThreadTs);
        var send = Assert.Single(app.WhatsApp.Sends);
        Assert.Equal("image", send.Type);
        Assert.Equal("image/png", send.MimeType);
        Assert.StartsWith("*Truck 12* delayed ~30 min & rerouted via", send.Message);
        Assert.StartsWith("http://localhost/media/", send.Url);
        Assert.Equal(image, await FetchAsync(app, send.Url!));
        Assert.Equal("C08QWERTY12", reply.Channel);
        Assert.Contains($"message_id {send.MessageId}", reply.Text);
        var download = Assert.Single(app.Slack.FileRequests);
        Assert.Equal("Bearer " + FakeSlackApi.BotToken, download.Authorization);
        Assert.Empty(app.Slack.Responses);
    }

    [Theory]
    [InlineData("dock-camera.mp4", "video/mp4", "video")]
    [InlineData("voice-note.ogg", "audio/ogg", "voice")]
    [InlineData("voice-memo.m4a", "audio/mp4", "voice")]
    [InlineData("photo.jpeg", "image/jpeg", "image")]
    public async Task Shortcut_sends_each_file_as_the_WhatsApp_type_of_its_MIME_type(string name, string mimeType, string type)
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var bytes = RandomBytes(70_000);
        var files = new JsonArray(SlackPayloads.File(name, mimeType, bytes.Length, app.Slack.AddFile(name, bytes, mimeType)));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Gate B at 14:30", files: files));

        var reply = await ReplyInThreadAsync(app, "1767224100.123459");
        var send = Assert.Single(app.WhatsApp.Sends);
        Assert.Equal(type, send.Type);
        Assert.Equal(mimeType, send.MimeType);
        Assert.Equal("Gate B at 14:30", send.Message);
        Assert.Equal(bytes, await FetchAsync(app, send.Url!));
        Assert.StartsWith("✅", reply.Text);
    }

    [Fact]
    public async Task Several_files_go_in_order_with_the_caption_on_the_first()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var first = RandomBytes(1000);
        var second = RandomBytes(2000);
        var files = new JsonArray(
            SlackPayloads.File("a.png", "image/png", first.Length, app.Slack.AddFile("a.png", first, "image/png")),
            SlackPayloads.File("b.mp4", "video/mp4", second.Length, app.Slack.AddFile("b.mp4", second, "video/mp4")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Two views", files: files));

        await ReplyInThreadAsync(app, "1767224100.123459");
        Assert.Collection(app.WhatsApp.Sends,
            s => Assert.Equal(("image", "Two views"), (s.Type!, s.Message!)),
            s => Assert.Equal(("video", (string?)null), (s.Type!, s.Message)));
        Assert.Equal(second, await FetchAsync(app, app.WhatsApp.Sends[1].Url!));
    }

    [Fact]
    public async Task A_PDF_is_sent_as_a_link_to_the_stored_copy_by_default()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var pdf = RandomBytes(40_000);
        var files = new JsonArray(SlackPayloads.File("route sheet.pdf", "application/pdf", pdf.Length, app.Slack.AddFile("route sheet.pdf", pdf, "application/pdf")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Today's routes", files: files));

        await ReplyInThreadAsync(app, "1767224100.123459");
        var send = Assert.Single(app.WhatsApp.Sends);
        Assert.Equal("text", send.Type);
        Assert.StartsWith("Today's routes\n\n📎 route sheet.pdf: http://localhost/media/", send.Message);
        var link = LinkPattern().Match(send.Message!).Value;
        using var fetched = await app.CreateClient().GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal("application/pdf", fetched.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pdf, await fetched.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_PDF_is_reported_and_not_sent_when_unsupported_media_is_rejected()
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings["Bridge:UnsupportedMedia"] = "Reject");
        await app.LinkAsync();
        var files = new JsonArray(SlackPayloads.File("route-sheet.pdf", "application/pdf", 40_000, app.Slack.AddFile("route-sheet.pdf", RandomBytes(10), "application/pdf")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Today's routes", files: files));

        var reply = await ReplyInThreadAsync(app, "1767224100.123459");
        var send = Assert.Single(app.WhatsApp.Sends);
        Assert.Equal(("text", "Today's routes"), (send.Type!, send.Message!));
        Assert.Contains("route-sheet.pdf was not sent: WhatsApp groups cannot receive application/pdf files.", reply.Text);
        Assert.Empty(app.Slack.FileRequests);
    }

    [Fact]
    public async Task A_message_with_only_a_rejected_file_sends_nothing_and_says_why()
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings["Bridge:UnsupportedMedia"] = "Reject");
        await app.LinkAsync();
        var files = new JsonArray(SlackPayloads.File("backup.zip", "application/zip", 40_000, app.Slack.FileUrl("backup.zip")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("", files: files, responseUrl: app.Slack.ResponseUrl()));

        await app.Slack.WaitForResponsesAsync(1);
        Assert.Contains("Nothing was sent to WhatsApp: backup.zip was not sent", app.Slack.Responses[0].Text);
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task The_documented_text_only_shortcut_sends_one_text_and_replies_under_the_message()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        using var request = SlackRequests.Signed("/slack/interactivity", Fixtures.Read("slack-message-action-text-only.form"));

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await ReplyInThreadAsync(app, "1767225000.004500");
        var send = Assert.Single(app.WhatsApp.Sends);
        Assert.Equal("text", send.Type);
        Assert.Contains("new gate code is `4521`", send.Message);
        Assert.Null(send.Url);
        Assert.Contains($"message_id {send.MessageId}", reply.Text);
    }

    [Fact]
    public async Task The_same_shortcut_twice_is_sent_once_and_the_second_answer_gives_the_message_id()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var payload = SlackPayloads.MessageAction("Truck 12 delayed", responseUrl: app.Slack.ResponseUrl());
        await app.PostShortcutAsync(payload);
        await ReplyInThreadAsync(app, "1767224100.123459");

        var second = await app.PostShortcutAsync(payload);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await app.Slack.WaitForResponsesAsync(1);
        var send = Assert.Single(app.WhatsApp.Sends);
        Assert.Contains("already sent", app.Slack.Responses[0].Text);
        Assert.Contains(send.MessageId!, app.Slack.Responses[0].Text);
        Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task A_shortcut_in_an_unlinked_channel_answers_how_to_link_it()
    {
        await using var app = await BridgeApp.StartAsync();

        app.Slack.AddUser("U08DISPATCH1", "Dispatch");
        var files = new JsonArray(new JsonObject { ["id"] = "F0CONNECT01", ["mode"] = "file_access", ["file_access"] = "check_file_info" });

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Hello <@U08DISPATCH1>", files: files, responseUrl: app.Slack.ResponseUrl()));

        await app.Slack.WaitForResponsesAsync(1);
        Assert.Contains("/whatsapp link", app.Slack.Responses[0].Text);
        Assert.Equal("", app.Slack.Responses[0].Authorization);
        Assert.Empty(app.WhatsApp.Sends);
        // The forward is built only for a channel that can send: no users.info for the name, no files.info for the file.
        Assert.DoesNotContain(app.Slack.Calls, c => c.Method is "users.info" or "files.info");
    }

    [Fact]
    public async Task An_oversized_image_is_left_out_with_a_note_in_the_reply()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var files = new JsonArray(SlackPayloads.File("huge.png", "image/png", 6 * 1024 * 1024, app.Slack.FileUrl("huge.png")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("See the photo", files: files));

        var reply = await ReplyInThreadAsync(app, "1767224100.123459");
        Assert.Equal("text", Assert.Single(app.WhatsApp.Sends).Type);
        Assert.Contains("huge.png was not sent: it is 6 MB, larger than the 5 MB allowed for images.", reply.Text);
        Assert.Empty(app.Slack.FileRequests);
    }

    [Theory]
    [InlineData(false, "it is 48.8 KB, larger than the 9.8 KB allowed for images.")]
    [InlineData(true, "it is larger than the 9.8 KB allowed for images.")]
    public async Task A_file_larger_than_Slack_announced_is_refused_before_or_while_it_streams(bool chunked, string reason)
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings["Media:MaxImageBytes"] = "10000");
        await app.LinkAsync();
        app.Slack.Files["liar.png"] = new FakeSlackFile(RandomBytes(50_000), "image/png", Chunked: chunked);
        var files = new JsonArray(SlackPayloads.File("liar.png", "image/png", 500, app.Slack.FileUrl("liar.png")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("", files: files));

        var reply = await ReplyInThreadAsync(app, "1767224100.123459");
        Assert.Equal("❌ Not sent to WhatsApp group Field Team: liar.png was not sent: " + reason, reply.Text);
        Assert.Empty(app.WhatsApp.Sends);
    }

    [Fact]
    public async Task A_file_for_two_groups_is_downloaded_once()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        await app.LinkAsync(groupId: "120363410923125769@g.us", groupName: "Drivers");
        var image = RandomBytes(100_000);
        var files = new JsonArray(SlackPayloads.File("a.png", "image/png", image.Length, app.Slack.AddFile("a.png", image, "image/png")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Both groups", files: files));

        await app.WhatsApp.WaitForSendsAsync(2);
        Assert.Single(app.Slack.FileRequests);
        Assert.Equal(["120363410923125768@g.us", "120363410923125769@g.us"], app.WhatsApp.Sends.Select(s => s.To).Order());
        foreach (var send in app.WhatsApp.Sends)
        {
            Assert.Equal(image, await FetchAsync(app, send.Url!));
        }
    }

    [Fact]
    public async Task Without_a_public_base_url_files_are_reported_and_the_text_is_still_sent()
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings.Remove("Bridge:PublicBaseUrl"));
        await app.LinkAsync();
        var files = new JsonArray(SlackPayloads.File("a.png", "image/png", 10, app.Slack.AddFile("a.png", RandomBytes(10), "image/png")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Text survives", files: files));

        var reply = await ReplyInThreadAsync(app, "1767224100.123459");
        Assert.Equal("Text survives", Assert.Single(app.WhatsApp.Sends).Message);
        Assert.Contains("Bridge:PublicBaseUrl is not set", reply.Text);
    }

    [Fact]
    public async Task Other_interactions_are_answered_200_and_ignored()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();

        var blockAction = await app.PostShortcutAsync(SlackPayloads.MessageAction("x", type: "block_actions"));
        var otherShortcut = await app.PostShortcutAsync(SlackPayloads.MessageAction("x", callbackId: "something_else"));

        Assert.Equal(HttpStatusCode.OK, blockAction.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherShortcut.StatusCode);
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Theory]
    [InlineData("payload=%7Bnot%20json", "not valid JSON")]
    [InlineData("foo=bar", "no payload")]
    [InlineData("payload=%7B%22type%22%3A%22message_action%22%2C%22callback_id%22%3A%22send_to_whatsapp%22%7D", "missing team.id, channel.id, user.id, message.ts")]
    public async Task A_malformed_interaction_is_refused_with_a_reason(string body, string reason)
    {
        await using var app = await BridgeApp.StartAsync();
        using var request = SlackRequests.Signed("/slack/interactivity", body);

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unsigned_interaction_is_refused()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        using var request = SlackRequests.Signed("/slack/interactivity", SlackPayloads.Form(SlackPayloads.MessageAction("x")), signature: "v0=" + new string('0', 64));

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    internal static async Task<SlackPost> ReplyInThreadAsync(BridgeApp app, string threadTs)
    {
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs == threadTs && !p.Text.StartsWith("Sending", StringComparison.Ordinal)));
        return app.Slack.Posts.Last(p => p.ThreadTs == threadTs && !p.Text.StartsWith("Sending", StringComparison.Ordinal));
    }

    /// <summary>Fetches a media link as WhatsApp would: a plain GET with no credentials.</summary>
    internal static async Task<byte[]> FetchAsync(BridgeApp app, string url)
    {
        using var response = await app.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    internal static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    [GeneratedRegex(@"http://localhost/media/\S+")]
    private static partial Regex LinkPattern();
}
