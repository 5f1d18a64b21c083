using System.Net;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Approval;

public sealed class SlackApprovalTests
{
    private const string FieldTeam = "120363410923125768@g.us";
    private const string Drivers = "120363410923125769@g.us";
    private const string Sender = "U07ZXCVB456";
    private const string Approver = "U0APPROVER1";

    [Fact]
    public async Task A_send_to_a_big_group_shows_its_preview_privately_and_sends_nothing_before_Send()
    {
        await using var app = await StartAsync();
        await app.LinkAsync(groupId: Drivers, groupName: "Drivers");

        var response = await app.SlashCommandAsync("Hello *team*, truck 12 & 13 are in");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("check its preview and press Send or Cancel", await SlashCommandTests.EphemeralText(response));
        var preview = await PreviewAsync(app);
        Assert.Equal("ephemeral", (string?)preview["response_type"]);
        var blocks = preview["blocks"]!.AsArray();
        Assert.Contains($"from <@{Sender}>", Text(blocks[0]));
        Assert.Equal("Hello *team*, truck 12 & 13 are in", (string?)blocks[1]!["elements"]![0]!["elements"]![0]!["text"]);
        Assert.Equal("rich_text_preformatted", (string?)blocks[1]!["elements"]![0]!["type"]);
        Assert.Equal("*Groups*\n• Field Team: 250 members\n• Drivers: 12 members\n*Total:* 262 people", Text(blocks[2]));
        Assert.Contains("Nothing is sent until you press Send", (string?)blocks[3]!["elements"]![0]!["text"]);
        var buttons = blocks[4]!["elements"]!.AsArray();
        Assert.Equal([("approval.send", "Send"), ("approval.cancel", "Cancel")], buttons.Select(b => ((string)b!["action_id"]!, (string)b["text"]!["text"]!)));
        Assert.All(buttons, b => Assert.Equal(ApprovalId(preview), (string?)b!["value"]));
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Empty(app.WhatsApp.Sends);
    }

    [Fact]
    public async Task Send_sends_once_to_each_group_and_the_preview_shows_who_sent_it()
    {
        await using var app = await StartAsync();
        await app.SlashCommandAsync("Big announcement");
        var id = ApprovalId(await PreviewAsync(app));

        Assert.Equal(HttpStatusCode.OK, (await PressAsync(app, "send", id, Sender)).StatusCode);

        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null));
        var send = Assert.Single(app.WhatsApp.Sends);
        Assert.Equal((FieldTeam, "Big announcement"), (send.To, send.Message));
        Assert.Contains(send.MessageId!, app.Slack.Posts.Single(p => p.ThreadTs is not null).Text);
        var redrawn = await ClickAnswerAsync(app, r => r.Body?["replace_original"]?.GetValue<bool>() == true);
        Assert.Contains($"Sent by <@{Sender}> at", ContextText(redrawn));
        Assert.DoesNotContain(redrawn["blocks"]!.AsArray(), b => (string?)b!["type"] == "actions");
    }

    [Fact]
    public async Task Cancel_sends_nothing_and_the_preview_says_it_was_cancelled()
    {
        await using var app = await StartAsync();
        await app.SlashCommandAsync("Never mind");
        var id = ApprovalId(await PreviewAsync(app));

        await PressAsync(app, "cancel", id, Sender);
        var redrawn = await ClickAnswerAsync(app, r => r.Body?["replace_original"]?.GetValue<bool>() == true);

        Assert.Contains("Cancelled by", ContextText(redrawn));
        await PressAsync(app, "send", id, Sender, "again");
        await app.Slack.WaitForResponsesAsync(4);
        Assert.Contains(app.Slack.Responses, r => r.Id == "again" && r.Text.Contains("Cancelled by"));
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Empty(app.WhatsApp.Sends);
    }

    [Fact]
    public async Task Two_presses_of_Send_at_once_send_once()
    {
        await using var app = await StartAsync();
        await app.SlashCommandAsync("Only once");
        var id = ApprovalId(await PreviewAsync(app));

        await Task.WhenAll(PressAsync(app, "send", id, Sender, "first"), PressAsync(app, "send", id, Sender, "second"));

        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null));
        Assert.Single(app.WhatsApp.Sends);
        Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task With_approvers_the_preview_is_visible_and_only_an_approver_other_than_the_sender_approves()
    {
        await using var app = await StartAsync(a =>
        {
            a.Settings["Approval:Approvers:0"] = Approver;
            a.Settings["Approval:Approvers:1"] = Sender;
        });

        var response = await app.SlashCommandAsync("Four eyes");

        // Answered at once, or, on a loaded machine, through response_url after "working on it".
        await app.Slack.WaitForPostsAsync(posts => posts.Count == 1);
        var told = await SlashCommandTests.EphemeralText(response);
        if (told.StartsWith("Working on it", StringComparison.Ordinal))
        {
            await app.Slack.WaitForResponsesAsync(1);
            told = app.Slack.Responses[0].Text;
        }

        Assert.Contains("waits for an approver", told);
        var post = Assert.Single(app.Slack.Posts);
        Assert.Equal("C08QWERTY12", post.Channel);
        var buttons = post.Blocks!.Single(b => (string?)b!["type"] == "actions")!["elements"]!.AsArray();
        Assert.Equal(["approval.approve", "approval.withdraw"], buttons.Select(b => (string)b!["action_id"]!));
        var id = (string)buttons[0]!["value"]!;

        await PressAsync(app, "approve", id, "U0BYSTANDER", "bystander");
        await PressAsync(app, "approve", id, Sender, "sender");
        await app.Slack.WaitForResponsesAsync(2);
        Assert.All(app.Slack.Responses, r => Assert.Equal(("ephemeral", false), ((string?)r.Body!["response_type"], r.Body["replace_original"]!.GetValue<bool>())));
        Assert.All(app.Slack.Responses, r => Assert.Equal("Only an approver other than the sender can approve this send.", r.Text));
        Assert.Empty(app.WhatsApp.Sends);

        await PressAsync(app, "approve", id, Approver, "approver");
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null));
        Assert.Equal("Four eyes", Assert.Single(app.WhatsApp.Sends).Message);
        var redrawn = await ClickAnswerAsync(app, r => r.Id == "approver");
        Assert.Contains($"Approved by <@{Approver}> at", ContextText(redrawn));
    }

    [Fact]
    public async Task With_approvers_the_sender_can_withdraw_and_no_one_else_can()
    {
        await using var app = await StartAsync(a => a.Settings["Approval:Approvers:0"] = Approver);
        await app.SlashCommandAsync("Second thoughts");
        await app.Slack.WaitForPostsAsync(posts => posts.Count == 1);
        var id = (string)app.Slack.Posts.Single().Blocks!.Single(b => (string?)b!["type"] == "actions")!["elements"]![0]!["value"]!;

        await PressAsync(app, "withdraw", id, Approver, "approver");
        Assert.Equal("Only the sender can withdraw this send.", (await ClickAnswerAsync(app, r => r.Id == "approver"))["text"]!.GetValue<string>());

        await PressAsync(app, "withdraw", id, Sender, "sender");
        Assert.Contains($"Withdrawn by <@{Sender}>", ContextText(await ClickAnswerAsync(app, r => r.Id == "sender")));
        await PressAsync(app, "approve", id, Approver, "late");
        Assert.Contains("Withdrawn by", (await ClickAnswerAsync(app, r => r.Id == "late" && r.Body?["replace_original"]?.GetValue<bool>() == false))["text"]!.GetValue<string>());
        Assert.Empty(app.WhatsApp.Sends);
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task After_its_lifetime_a_preview_cannot_be_sent_says_so_and_shows_it_expired()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await StartAsync(a =>
        {
            a.Time = clock;
            a.Settings["Approval:Lifetime"] = "01:00:00";
        });
        await app.SlashCommandAsync("Too late");
        var id = ApprovalId(await PreviewAsync(app));

        clock.Advance(TimeSpan.FromMinutes(61));
        await PressAsync(app, "send", id, Sender);

        var redrawn = await ClickAnswerAsync(app, r => r.Body?["replace_original"]?.GetValue<bool>() == true);
        Assert.Contains("Expired at", ContextText(redrawn));
        var refusal = await ClickAnswerAsync(app, r => r.Body?["replace_original"]?.GetValue<bool>() == false);
        Assert.StartsWith("This preview expired at", refusal["text"]!.GetValue<string>());
        Assert.Equal(ApprovalState.Expired, (await app.ApprovalStore.GetApprovalAsync(id, default))!.State);
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Empty(app.WhatsApp.Sends);
    }

    [Fact]
    public async Task A_visible_preview_nobody_pressed_is_redrawn_as_expired_in_place_when_its_time_runs_out()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var app = await StartAsync(a =>
        {
            a.Time = clock;
            a.Settings["Approval:Approvers:0"] = Approver;
            a.Settings["Approval:Lifetime"] = "01:00:00";
        });
        await app.SlashCommandAsync("Nobody looked");
        var preview = Assert.Single(app.Slack.Posts);
        var id = (string)preview.Blocks!.Single(b => (string?)b!["type"] == "actions")!["elements"]![0]!["value"]!;
        // The ts is kept once Slack answers the post, which the fake records before it answers.
        await app.WaitForLogAsync(line => line.Contains($"approval {id} was posted as message {preview.Ts}"));

        // The hour reaches ExpiresAt, and the minute's sweep then runs: the clock stays put while its call is on the
        // way, so the call's own timeout (on the same clock) can't cut it off.
        app.AdvanceTime(TimeSpan.FromMinutes(60));
        await app.Slack.WaitForUpdatesAsync(1);

        var update = Assert.Single(app.Slack.Updates);
        Assert.Equal((preview.Channel, preview.Ts), (update.Channel, update.Ts));
        Assert.Contains("Expired at 2026-12-01 09:00 UTC: nothing was sent.", ContextText(new JsonObject { ["blocks"] = update.Blocks!.DeepClone() }));
        Assert.DoesNotContain(update.Blocks!, b => (string?)b!["type"] == "actions");
        Assert.Equal(ApprovalState.Expired, (await app.ApprovalStore.GetApprovalAsync(id, default))!.State);

        await PressAsync(app, "approve", id, Approver, "late");
        Assert.StartsWith("This preview expired at 2026-12-01 09:00 UTC",
            (await ClickAnswerAsync(app, r => r.Id == "late" && r.Body?["replace_original"]?.GetValue<bool>() == false))["text"]!.GetValue<string>());
        Assert.Empty(app.WhatsApp.Sends);
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task A_private_preview_nobody_pressed_is_told_expired_to_its_sender_privately()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var app = await StartAsync(a =>
        {
            a.Time = clock;
            a.Settings["Approval:Lifetime"] = "01:00:00";
        });
        await app.SlashCommandAsync("Forgotten & left");
        var id = ApprovalId(await PreviewAsync(app));

        app.AdvanceTime(TimeSpan.FromMinutes(60));
        await app.Slack.WaitForEphemeralsAsync(1);

        var notice = Assert.Single(app.Slack.Ephemerals);
        Assert.Equal(("C08QWERTY12", Sender), (notice.Channel, notice.User));
        Assert.Equal("Your preview of a send to WhatsApp, \"Forgotten &amp; left\": ⌛ Expired at 2026-12-01 09:00 UTC: nothing was sent.", notice.Text);
        Assert.Equal(ApprovalState.Expired, (await app.ApprovalStore.GetApprovalAsync(id, default))!.State);
        Assert.Empty(app.Slack.Updates);
        Assert.Empty(app.WhatsApp.Sends);
    }

    [Fact]
    public async Task A_link_that_requires_approval_holds_a_send_to_a_small_group_with_the_size_check_off()
    {
        await using var app = await BridgeApp.StartAsync();
        var link = await app.LinkAsync();
        link.RequiresApproval = true;
        await app.LinkStore.UpdateLinkAsync(link, default);

        await app.SlashCommandAsync("Small but careful");

        var preview = await PreviewAsync(app);
        Assert.Equal("*Groups*\n• Field Team: 12 members\n*Total:* 12 people", Text(preview["blocks"]![2]));
        Assert.Empty(app.WhatsApp.Sends);
        await PressAsync(app, "send", ApprovalId(preview), Sender);
        await app.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal("Small but careful", Assert.Single(app.WhatsApp.Sends).Message);
    }

    [Fact]
    public async Task With_the_size_check_off_and_no_link_marked_a_send_goes_at_once_without_asking_for_sizes()
    {
        await using var app = await BridgeApp.StartAsync();
        app.WhatsApp.Groups[FakeTalkNTalk.DefaultSessionId][0] = new FakeGroup(FieldTeam, "Field Team", 5000);
        await app.LinkAsync();

        await app.SlashCommandAsync("Upgrade changes nothing");

        await app.WhatsApp.WaitForSendsAsync(1);
        Assert.DoesNotContain(app.WhatsApp.Requests, r => r.Path.Contains("/groups/") && r.Method == "GET");
    }

    [Fact]
    public async Task A_preview_held_before_a_restart_is_sent_once_when_pressed_after_it()
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        whatsApp.Groups[FakeTalkNTalk.DefaultSessionId][0] = new FakeGroup(FieldTeam, "Field Team", 250);
        var database = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");
        string id;
        await using (var first = await BridgeApp.StartAsync(whatsApp, slack, database))
        {
            first.Settings["Approval:MinParticipants"] = "100";
            await first.LinkAsync();
            await first.SlashCommandAsync("Survives a restart");
            id = ApprovalId(await PreviewAsync(first));
        }

        await using var second = await BridgeApp.StartAsync(whatsApp, slack, database);
        second.Settings["Approval:MinParticipants"] = "100";
        await PressAsync(second, "send", id, Sender);

        await slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null));
        Assert.Equal("Survives a restart", Assert.Single(whatsApp.Sends).Message);
    }

    [Fact]
    public async Task A_shortcut_on_a_message_for_a_big_group_answers_with_the_preview_and_Send_replies_in_the_message_thread()
    {
        await using var app = await StartAsync();
        var files = new JsonArray(SlackPayloads.File("route.png", "image/png", 2048, app.Slack.AddFile("route.png", FakeBotFramework.Png, "image/png")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Today's route", ts: "1767224100.123459", files: files, responseUrl: app.Slack.ResponseUrl()));

        var preview = await PreviewAsync(app);
        Assert.Equal("*Files*\n• route.png (image/png, 2 KB)", Text(preview["blocks"]![2]));
        Assert.Empty(app.Slack.Posts);
        await PressAsync(app, "send", ApprovalId(preview), Sender);
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs == "1767224100.123459"));
        var send = Assert.Single(app.WhatsApp.Sends);
        Assert.Equal(("image", "Today's route"), (send.Type, send.Message));
    }

    [Fact]
    public async Task A_mention_for_a_big_group_gets_its_preview_privately_in_its_thread()
    {
        await using var app = await StartAsync();

        await app.PostEventAsync(Fixtures.Read("slack-events-app-mention.json"));

        await app.Slack.WaitForEphemeralsAsync(1);
        var preview = Assert.Single(app.Slack.Ephemerals);
        Assert.Equal(("C08QWERTY12", Sender), (preview.Channel, preview.User));
        Assert.NotNull(preview.ThreadTs);
        Assert.Contains(preview.Blocks!, b => (string?)b!["type"] == "actions");
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.Text.Contains("check its preview")));
        Assert.Empty(app.WhatsApp.Sends);
    }

    [Fact]
    public async Task A_send_approved_just_before_a_crash_is_accepted_at_start_up_and_sent_once()
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");
        var link = new ChannelLink { Platform = Platform.Slack, WorkspaceId = "T08ABCD1234", ChannelId = "C08QWERTY12", SessionId = FakeTalkNTalk.DefaultSessionId, GroupId = FieldTeam, GroupName = "Field Team" };
        var approval = new PendingApproval
        {
            Forward = new Forward
            {
                Platform = Platform.Slack, WorkspaceId = "T08ABCD1234", ChannelId = "C08QWERTY12", UserId = Sender, UserName = "maria",
                Text = "Approved, then the crash", Reply = new ReplyTarget { ConversationId = "C08QWERTY12", ThreadId = "1767223000.000200" },
            },
            Groups =
            [
                new ApprovalGroup { Link = link, MemberCount = 250 },
            ],
            DedupeKey = "slack-command:crashed",
            CreatedAt = DateTimeOffset.UtcNow,
            ExpiresAt = DateTimeOffset.UtcNow.AddHours(24),
        };
        using (var store = new Bridge.Storage.LiteDbStore(database))
        {
            await store.AddLinkAsync(link, default);
            await store.AddApprovalAsync(approval, default);
            await store.DecideApprovalAsync(approval.Id, ApprovalState.Approved, Sender, "maria", DateTimeOffset.UtcNow, default);
        }

        await using (var first = await BridgeApp.StartAsync(whatsApp, slack, database))
        {
            _ = first.Services;
            await slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs == "1767223000.000200"));
            Assert.Equal(ApprovalState.Accepted, (await first.ApprovalStore.GetApprovalAsync(approval.Id, default))!.State);
        }

        await using var second = await BridgeApp.StartAsync(whatsApp, slack, database);
        await PressAsync(second, "send", approval.Id, Sender);
        await slack.WaitForResponsesAsync(responses => responses.Any(r => r.Body?["replace_original"]?.GetValue<bool>() == true));
        Assert.Equal("Approved, then the crash", Assert.Single(whatsApp.Sends).Message);
        Assert.Single(await second.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task A_scheduled_send_to_a_big_group_is_approved_when_scheduled_and_goes_at_its_time_without_a_second_preview()
    {
        var start = new DateTimeOffset(2026, 12, 1, 8, 15, 0, TimeSpan.Zero);
        await using var app = await StartAsync(a => a.Time = new FakeTimeProvider(start));

        await app.SlashCommandAsync("in 2h Road closed at noon");

        var preview = await PreviewAsync(app);
        Assert.Contains("⏰ To be sent at Tue 1 Dec 10:15 (UTC).", ContextText(preview));
        Assert.Equal("Road closed at noon", (string?)preview["blocks"]![1]!["elements"]![0]!["elements"]![0]!["text"]);
        var schedules = app.Services.GetRequiredService<IScheduleStore>();
        Assert.Empty(await schedules.ListSchedulesAsync(null, waiting: true, 10, default));

        await PressAsync(app, "send", ApprovalId(preview), Sender);

        var redrawn = await ClickAnswerAsync(app, r => r.Body?["replace_original"]?.GetValue<bool>() == true);
        Assert.Contains($"Approved by <@{Sender}> at", ContextText(redrawn));
        Assert.Contains("scheduled", ContextText(redrawn));
        var schedule = Assert.Single(await schedules.ListSchedulesAsync(null, waiting: true, 10, default));
        Assert.Equal(start.AddHours(2), schedule.SendAt);
        Assert.Empty(app.WhatsApp.Sends);

        app.AdvanceTime(TimeSpan.FromHours(2));

        await app.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal(("Road closed at noon", start.AddHours(2)), (Assert.Single(app.WhatsApp.Sends).Message, app.WhatsApp.Sends[0].At));
        // Approved when scheduled: its time brings no second preview.
        Assert.Single(app.Slack.Responses, r => r.Blocks?.Any(b => (string?)b!["type"] == "actions") == true);
    }

    [Fact]
    public async Task A_preview_approved_after_its_groups_were_unlinked_sends_nothing_and_says_why()
    {
        await using var app = await StartAsync();
        await app.SlashCommandAsync("Big news");
        var id = ApprovalId(await PreviewAsync(app));
        var link = Assert.Single(await app.LinkStore.GetLinksAsync(new ChannelRef(Platform.Slack, "T08ABCD1234", "C08QWERTY12"), default));
        Assert.True(await app.LinkStore.RemoveLinkAsync(link.Id, default));

        await PressAsync(app, "send", id, Sender);

        var redrawn = await ClickAnswerAsync(app, r => r.Body?["replace_original"]?.GetValue<bool>() == true);
        Assert.Contains("Cancelled by Bridge", ContextText(redrawn));
        var told = await ClickAnswerAsync(app, r => r.Body?["replace_original"]?.GetValue<bool>() == false);
        Assert.Contains("None of this preview's groups is linked to this channel any more", (string?)told["text"]);
        Assert.Equal(ApprovalState.Cancelled, (await app.ApprovalStore.GetApprovalAsync(id, default))!.State);
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Empty(app.WhatsApp.Sends);
    }

    [Fact]
    public async Task A_preview_approved_after_one_of_its_groups_was_paused_goes_to_the_others_and_the_outcome_says_so()
    {
        await using var app = await StartAsync();
        var drivers = await app.LinkAsync(groupId: Drivers, groupName: "Drivers");
        await app.SlashCommandAsync("Big news");
        var id = ApprovalId(await PreviewAsync(app));
        drivers.Paused = true;
        Assert.Equal(LinkUpdate.Updated, await app.LinkStore.UpdateLinkAsync(drivers, default));

        await PressAsync(app, "send", id, Sender);

        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null));
        Assert.Equal(FieldTeam, Assert.Single(app.WhatsApp.Sends).To);
        Assert.Contains("Not sent to Drivers: unlinked or paused after its preview was shown.", app.Slack.Posts.Single(p => p.ThreadTs is not null).Text);
    }

    [Fact]
    public async Task A_member_count_WhatsApp_is_slow_to_give_is_its_last_count_seen_after_two_seconds()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var app = await StartAsync(a => a.Time = clock);
        var held = new TaskCompletionSource();
        try
        {
            await app.SlashCommandAsync("First");
            Assert.Equal("*Groups*\n• Field Team: 250 members\n*Total:* 250 people", Text((await PreviewAsync(app))["blocks"]![2]));
            app.WhatsApp.Groups[FakeTalkNTalk.DefaultSessionId][0] = new FakeGroup(FieldTeam, "Field Team", 300);
            app.WhatsApp.BeforeRead = () => held.Task;
            app.AdvanceTime(TimeSpan.FromMinutes(1)); // past the look-up cache's 30 s

            // The clock moves until the look-up's 2 s are up (the command's own answer may come first, at 2.5 s).
            var second = app.SlashCommandAsync("Second");
            await app.MoveTimeUntilAsync(app.WaitForLogAsync(line => line.Contains("[3507]")), TimeSpan.FromMilliseconds(500));
            await app.Slack.WaitForResponsesAsync(responses => responses.Count(r => r.Body?["blocks"] is not null) == 2);
            await second;

            var preview = app.Slack.Responses.Last(r => r.Body?["blocks"] is not null).Body!;
            Assert.Contains("Second", preview.ToJsonString());
            Assert.Equal("*Groups*\n• Field Team: 250 members\n*Total:* 250 people", Text(preview["blocks"]![2]));
            Assert.Single(app.Logs, line => line.Contains("[3507]"));
            Assert.Empty(app.WhatsApp.Sends);
        }
        finally
        {
            held.TrySetResult();
        }
    }

    private static async Task<BridgeApp> StartAsync(Action<BridgeApp>? configure = null)
    {
        var app = await BridgeApp.StartAsync(a =>
        {
            a.Settings["Approval:MinParticipants"] = "100";
            configure?.Invoke(a);
        });
        app.WhatsApp.Groups[FakeTalkNTalk.DefaultSessionId][0] = new FakeGroup(FieldTeam, "Field Team", 250);
        await app.LinkAsync();
        return app;
    }

    /// <summary>The preview the slash command's response_url got.</summary>
    private static async Task<JsonObject> PreviewAsync(BridgeApp app)
    {
        await app.Slack.WaitForResponsesAsync(1);
        return app.Slack.Responses.First(r => r.Id == "r1").Body!;
    }

    private static string ApprovalId(JsonObject preview) =>
        (string)preview["blocks"]!.AsArray().Single(b => (string?)b!["type"] == "actions")!["elements"]![0]!["value"]!;

    private static Task<HttpResponseMessage> PressAsync(BridgeApp app, string action, string approvalId, string userId, string responseId = "click") =>
        app.PostShortcutAsync(SlackPayloads.BlockActions("approval." + action, approvalId, userId, "1767225701.000100", app.Slack.ResponseUrl(responseId), ephemeral: true));

    private static async Task<JsonObject> ClickAnswerAsync(BridgeApp app, Func<ResponseUrlPost, bool> which)
    {
        await app.Slack.WaitForResponsesAsync(responses => responses.Any(r => r.Id != "r1" && which(r)));
        return app.Slack.Responses.First(r => r.Id != "r1" && which(r)).Body!;
    }

    private static string Text(JsonNode? block) => (string)block!["text"]!["text"]!;

    private static string ContextText(JsonObject message) =>
        (string)message["blocks"]!.AsArray().Single(b => (string?)b!["type"] == "context")!["elements"]![0]!["text"]!;
}
