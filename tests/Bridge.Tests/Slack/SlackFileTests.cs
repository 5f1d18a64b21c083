using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Storage;
using Bridge.Forwarding;
using Bridge.Tests.Admin;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Slack;

/// <summary>Slack files that cannot be fetched, Slack Connect files, and file addresses Bridge must not send its token to.</summary>
public sealed class SlackFileTests
{
    private const string MessageTs = "1767224100.123459";

    [Fact]
    public async Task A_failing_file_beside_text_sends_the_text_alone_and_the_other_file_and_names_the_failed_one()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var video = SlackShortcutTests.RandomBytes(2000);
        var files = new JsonArray(
            // Listed by Slack, gone from the file host by the time Bridge fetches it.
            SlackPayloads.File("dock.png", "image/png", 1000, app.Slack.FileUrl("dock.png")),
            SlackPayloads.File("gate.mp4", "video/mp4", video.Length, app.Slack.AddFile("gate.mp4", video, "video/mp4")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Two views of gate B", files: files));

        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, MessageTs);
        Assert.Collection(app.WhatsApp.Sends,
            s => Assert.Equal(("text", "Two views of gate B", (string?)null), (s.Type!, s.Message!, s.Url)),
            s => Assert.Equal(("video", (string?)null), (s.Type!, s.Message)));
        Assert.Equal(video, await SlackShortcutTests.FetchAsync(app, app.WhatsApp.Sends[1].Url!));
        var ids = string.Join(", ", app.WhatsApp.Sends.Select(s => s.MessageId));
        // gate.mp4 is random bytes: ffmpeg can't read it, so it goes as it is, and the reply says that too.
        Assert.Equal(
            $"✅ Sent to WhatsApp group Field Team: message_id {ids}\n⚠️ dock.png could not be fetched: Slack answered HTTP 404."
            + "\nℹ️ gate.mp4 was sent as it is: Bridge could not convert it to a video WhatsApp plays (ffmpeg could not read it).",
            reply.Text);
        var job = Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Equal(DeliveryStatus.Delivered, job.Status);
        Assert.Contains(job.Attempts, a => a.Part == 0 && a.Outcome == "media-failed");
    }

    [Fact]
    public async Task A_retried_text_after_a_failing_file_does_not_fetch_the_file_again()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var refused = 0;
        // The first send (the text standing in for dock.png) is provably not taken, so it is retried.
        app.WhatsApp.SendBehavior = _ => Interlocked.Increment(ref refused) == 1 ? new FakeAnswer(503) : null;
        var files = new JsonArray(SlackPayloads.File("dock.png", "image/png", 1000, app.Slack.FileUrl("dock.png")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Dock at noon", files: files));

        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, MessageTs);
        Assert.Equal(["Dock at noon", "Dock at noon"], app.WhatsApp.Sends.Select(s => s.Message));
        Assert.Single(app.Slack.FileRequests);
        var job = Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Equal(DeliveryStatus.Delivered, job.Status);
        Assert.Equal(["dock.png could not be fetched: Slack answered HTTP 404."], job.MissingFiles);
        Assert.EndsWith("\n⚠️ dock.png could not be fetched: Slack answered HTTP 404.", reply.Text);
    }

    [Fact]
    public async Task A_failing_file_with_no_text_is_skipped_and_the_next_file_still_goes()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var image = SlackShortcutTests.RandomBytes(1500);
        var files = new JsonArray(
            SlackPayloads.File("gate.png", "image/png", image.Length, app.Slack.AddFile("gate.png", image, "image/png")),
            SlackPayloads.File("dock.png", "image/png", 1000, app.Slack.FileUrl("dock.png")),
            SlackPayloads.File("yard.png", "image/png", image.Length, app.Slack.AddFile("yard.png", image, "image/png")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("", files: files));

        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, MessageTs);
        Assert.Equal(["image", "image"], app.WhatsApp.Sends.Select(s => s.Type));
        Assert.Contains("⚠️ dock.png could not be fetched: Slack answered HTTP 404.", reply.Text);
        var job = Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Equal([1], job.SkippedParts);
        Assert.Equal((2, DeliveryStatus.Delivered), (job.MessageIds.Count, job.Status));
    }

    [Fact]
    public async Task A_stalled_Slack_download_ends_at_the_limit_and_another_groups_message_goes_meanwhile()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await BridgeApp.StartAsync(a => a.Time = time);
        await app.LinkAsync();
        await app.LinkAsync(channelId: "C08DRIVERS01", groupId: "120363410923125769@g.us", groupName: "Drivers");
        var trickle = new Trickle(time);
        app.Slack.Files["manifest.png"] = new FakeSlackFile(SlackShortcutTests.RandomBytes(5000), "image/png", Stall: trickle);
        var files = new JsonArray(SlackPayloads.File("manifest.png", "image/png", 5000, app.Slack.FileUrl("manifest.png")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Tonight's manifest", files: files));
        await trickle.WaitForBytesAsync(1);
        await app.SlashCommandAsync("Gate B at 14:30", channelId: "C08DRIVERS01");

        // Field Team's lane is held by the download; Drivers is served meanwhile.
        await app.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal(("120363410923125769@g.us", "Gate B at 14:30"), (Assert.Single(app.WhatsApp.Sends).To, app.WhatsApp.Sends[0].Message));
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.Channel == "C08DRIVERS01" && p.ThreadTs is not null));

        // A byte every 10 s up to 110 s: the host never goes quiet, yet the download is still going.
        for (var sent = 2; sent <= 12; sent++)
        {
            time.Advance(Trickle.Step);
            await trickle.WaitForBytesAsync(sent);
        }

        Assert.DoesNotContain(app.WhatsApp.Sends, s => s.To == "120363410923125768@g.us");
        time.Advance(Trickle.Step);

        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, MessageTs);
        var send = app.WhatsApp.Sends.Single(s => s.To == "120363410923125768@g.us");
        Assert.Equal(("text", "Tonight's manifest"), (send.Type, send.Message));
        Assert.Equal($"✅ Sent to WhatsApp group Field Team: message_id {send.MessageId}\n⚠️ manifest.png could not be fetched from Slack: the download took longer than 2 min. Try again later.", reply.Text);
    }

    [Fact]
    public async Task A_Slack_Connect_file_is_looked_up_with_files_info_and_sent()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var image = SlackShortcutTests.RandomBytes(3000);
        var url = app.Slack.AddFile("partner-dock.png", image, "image/png");
        app.Slack.FileInfos["F0CONNECT01"] = SlackPayloads.File("partner-dock.png", "image/png", image.Length, url);
        // As a Slack Connect channel delivers it (https://docs.slack.dev/reference/events/message/file_share).
        var files = new JsonArray(new JsonObject
        {
            ["id"] = "F0CONNECT01",
            ["mode"] = "file_access",
            ["file_access"] = "check_file_info",
            ["created"] = 0,
            ["timestamp"] = 0,
            ["user"] = "",
        });

        await app.PostShortcutAsync(SlackPayloads.MessageAction("From our partner", files: files));

        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, MessageTs);
        var send = Assert.Single(app.WhatsApp.Sends);
        Assert.Equal(("image", "From our partner"), (send.Type, send.Message));
        Assert.Equal(image, await SlackShortcutTests.FetchAsync(app, send.Url!));
        Assert.Contains(app.Slack.Calls, c => c.Method == "files.info");
        Assert.StartsWith("✅", reply.Text);
    }

    [Fact]
    public async Task A_Slack_Connect_file_Slack_does_not_describe_is_named_and_the_text_still_goes()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var files = new JsonArray(new JsonObject { ["id"] = "F0GONE00001", ["mode"] = "file_access", ["file_access"] = "check_file_info" });

        await app.PostShortcutAsync(SlackPayloads.MessageAction("From our partner", files: files));

        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, MessageTs);
        Assert.Equal("From our partner", Assert.Single(app.WhatsApp.Sends).Message);
        Assert.Contains("F0GONE00001 was not sent: it is a Slack Connect file and Slack did not describe it (files.info answered file_not_found).", reply.Text);
    }

    private static JsonArray ConnectFile(string id) =>
        new(new JsonObject { ["id"] = id, ["mode"] = "file_access", ["file_access"] = "check_file_info" });

    [Fact]
    public async Task A_Slack_Connect_file_whose_files_info_times_out_is_named_and_the_text_still_goes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await BridgeApp.StartAsync(a => a.Time = clock);
        await app.LinkAsync();
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Slack.BeforeCall = method =>
        {
            if (method != "files.info")
            {
                return Task.CompletedTask;
            }

            asked.TrySetResult();
            return release.Task;
        };

        // The shortcut's answer waits for the work up to the ack budget, which this clock ends too.
        var acknowledged = app.PostShortcutAsync(SlackPayloads.MessageAction("From our partner", files: ConnectFile("F0SLOW00001")));
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(11)); // past the 10 s per-try timeout
        await acknowledged;

        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, MessageTs);
        release.SetResult();
        Assert.Equal(("text", "From our partner"), (Assert.Single(app.WhatsApp.Sends).Type, app.WhatsApp.Sends[0].Message));
        Assert.Contains("F0SLOW00001 was not sent: it is a Slack Connect file and Slack did not describe it (Slack did not answer files.info in time).", reply.Text);
    }

    [Fact]
    public async Task A_Slack_Connect_file_refused_for_a_missing_scope_names_the_scope_and_turns_the_setup_card_red()
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync();
        app.Slack.MethodErrors["files.info"] = new SlackError("missing_scope", "files:read");

        await app.PostShortcutAsync(SlackPayloads.MessageAction("From our partner", files: ConnectFile("F0CONNECT01")));

        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, MessageTs);
        Assert.Equal("From our partner", Assert.Single(app.WhatsApp.Sends).Message);
        Assert.Contains("(files.info answered missing_scope (needed: files:read))", reply.Text);
        var setup = (await app.Api().GetFromJsonAsync<JsonObject>("/admin/api/setup"))!["integrations"]!.AsArray()
            .Single(i => (string?)i!["name"] == "Slack")!;
        Assert.Equal("failing", (string?)setup["state"]);
        Assert.Contains("files.info: missing_scope (needed: files:read)", (string?)setup["summary"]);
    }

    [Fact]
    public async Task A_url_private_on_the_Web_API_host_gets_no_token_and_calls_nothing()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var url = new Uri(app.Slack.ApiBaseUrl, "chat.postMessage?channel=C0OTHER0001&text=hi").ToString();
        var files = new JsonArray(SlackPayloads.File("note.png", "image/png", 100, url));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Look", files: files));

        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, MessageTs);
        Assert.Contains("note.png was not sent: its address is not on files.slack.com", reply.Text);
        Assert.DoesNotContain(app.Slack.Calls, c => c.Method.StartsWith("GET ", StringComparison.Ordinal));
        Assert.All(app.Slack.Posts, p => Assert.Equal("C08QWERTY12", p.Channel));
        Assert.Empty(app.Slack.FileRequests);
        Assert.Equal("Look", Assert.Single(app.WhatsApp.Sends).Message);
    }

    [Fact]
    public async Task A_content_type_with_control_characters_is_cleaned_before_it_is_stored()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var bytes = SlackShortcutTests.RandomBytes(500);
        var files = new JsonArray(SlackPayloads.File("notes.txt", "text/plain\u0000\r\nX-Injected: 1", bytes.Length,
            app.Slack.AddFile("notes.txt", bytes, "text/plain")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Notes", files: files));

        await SlackShortcutTests.ReplyInThreadAsync(app, MessageTs);
        var attachment = Assert.Single((await app.ForwardStore.GetForwardAsync(Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)).ForwardId, default))!.Attachments);
        Assert.Equal("application/octet-stream", attachment.MimeType);
        Assert.Equal("application/octet-stream", (await app.MediaStore.GetMediaAsync(attachment.MediaId!, default))!.ContentType);
        var link = Assert.Single(app.WhatsApp.Sends).Message!.Split(' ')[^1];
        using var media = await app.CreateClient().GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, media.StatusCode);
        Assert.Equal(bytes, await media.Content.ReadAsByteArrayAsync());
    }
}
