using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Tests.Admin;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Teams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Scheduling;

/// <summary>Scheduled sends end to end in process: Slack and Teams commands over HTTP, the clock a FakeTimeProvider.</summary>
public sealed class ScheduledSendTests
{
    private const string Maria = "U07ZXCVB456";

    // Tuesday 1 December 2026, 08:15 UTC: 10:15 in Johannesburg.
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 15, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_send_at_a_time_in_the_senders_zone_goes_then_and_not_before_and_its_outcome_is_replied_under_its_record()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        AddMaria(app, "Africa/Johannesburg");

        var answer = await AnswerAsync(await app.SlashCommandAsync("at 12:00 Lunch is *served*"));

        var id = Assert.Single(await WaitingAsync(app)).Id;
        Assert.Equal(
            $"⏰ Scheduled for Tue 1 Dec 12:00 (Africa/Johannesburg) to WhatsApp group Field Team (id `{id}`). Times are read in your time zone, Africa/Johannesburg. "
            + $"The result will be posted in the thread then. `/whatsapp cancel {id}` cancels it.",
            answer);
        var record = Assert.Single(app.Slack.Posts);
        Assert.Equal($"⏰ <@{Maria}> scheduled for Tue 1 Dec 12:00 (Africa/Johannesburg) to WhatsApp group Field Team (id `{id}`):\n> Lunch is *served*", record.Text);
        Assert.Null(record.ThreadTs);

        // A second before its time (10:00 UTC): it waits, and an ordinary send to the same group is not held up.
        app.AdvanceTime(TimeSpan.FromMinutes(105) - TimeSpan.FromSeconds(1));
        await app.SlashCommandAsync("Ordinary news");
        await app.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal("Ordinary news", Assert.Single(app.WhatsApp.Sends).Message);

        app.AdvanceTime(TimeSpan.FromSeconds(1));
        await app.WhatsApp.WaitForSendsAsync(2);
        Assert.Equal("Lunch is *served*", app.WhatsApp.Sends[1].Message);
        Assert.Equal(Start.AddMinutes(105), app.WhatsApp.Sends[1].At);
        var reply = await ReplyUnderAsync(app, record);
        Assert.Contains("✅ Sent to WhatsApp group Field Team: message_id", reply.Text);
        Assert.DoesNotContain("late", reply.Text);
        Assert.Equal(ScheduleState.Sent, (await Store(app).GetScheduleAsync(id, default))!.State);
        Assert.Empty(await WaitingAsync(app));
    }

    [Fact]
    public async Task Two_schedules_for_one_group_go_in_the_order_of_their_times()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));

        await app.SlashCommandAsync("in 2h second");
        await app.SlashCommandAsync("in 1h first");
        app.AdvanceTime(TimeSpan.FromHours(2));

        await app.WhatsApp.WaitForSendsAsync(2);
        Assert.Equal(["first", "second"], app.WhatsApp.Sends.Select(s => s.Message));
        Assert.Equal([Start.AddHours(2), Start.AddHours(2)], app.WhatsApp.Sends.Select(s => s.At));
    }

    [Fact]
    public async Task A_user_without_a_time_zone_schedules_in_UTC_and_is_told_so()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));

        var answer = await AnswerAsync(await app.SlashCommandAsync("at 09:00 Stand-up"));

        Assert.Contains("Scheduled for Tue 1 Dec 09:00 (UTC)", answer);
        Assert.Contains("Times are read as UTC: Slack did not say your time zone.", answer);
        Assert.Equal(Start.Date.AddHours(9), Assert.Single(await WaitingAsync(app)).SendAt.UtcDateTime);
    }

    [Theory]
    [InlineData("at 2026-11-30 09:00 Yesterday's news", "That time has passed.")]
    [InlineData("at 9:75 Odd minutes", "9:75 is not a time.")]
    public async Task A_past_or_unreadable_time_is_refused_with_an_example_and_nothing_is_stored_or_sent(string text, string reason)
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));

        var answer = await AnswerAsync(await app.SlashCommandAsync(text));

        Assert.StartsWith($"Nothing was scheduled. {reason}", answer);
        Assert.Contains("`at 09:00`, `at 2026-12-24 08:30` or `in 2h`", answer);
        Assert.Empty(await WaitingAsync(app));
        Assert.Empty(app.Slack.Posts);
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task Scheduled_lists_and_cancel_cancels_and_the_cancelled_send_never_goes()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        AddMaria(app, "Africa/Johannesburg");
        await app.SlashCommandAsync("in 1h Never mind this");
        var id = Assert.Single(await WaitingAsync(app)).Id;
        var record = Assert.Single(app.Slack.Posts);

        var list = await AnswerAsync(await app.SlashCommandAsync("scheduled", userId: "U0OTHER0001"));
        Assert.Contains($"• `{id}` Tue 1 Dec 11:15 (Africa/Johannesburg) to Field Team, by maria.lopez: Never mind this", list);
        var refused = await AnswerAsync(await app.SlashCommandAsync($"cancel {id}", userId: "U0OTHER0001"));
        Assert.Equal("Only the person who scheduled it (maria.lopez) or a Bridge admin can cancel it.", refused);
        var cancelled = await AnswerAsync(await app.SlashCommandAsync($"cancel {id}"));
        Assert.Equal($"Cancelled `{id}` (Tue 1 Dec 11:15 (Africa/Johannesburg) to Field Team): it will not be sent.", cancelled);
        Assert.Equal("🚫 Cancelled by maria.lopez. This scheduled message will not be sent.", (await ReplyUnderAsync(app, record)).Text);

        // Past its time, an ordinary send goes and the cancelled one does not.
        app.AdvanceTime(TimeSpan.FromHours(2));
        await app.SlashCommandAsync("After the hour");
        await app.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal("After the hour", Assert.Single(app.WhatsApp.Sends).Message);
        Assert.Equal(ScheduleState.Cancelled, (await Store(app).GetScheduleAsync(id, default))!.State);
    }

    [Fact]
    public async Task A_group_unlinked_after_scheduling_gets_nothing_and_the_reply_says_so()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        var sales = await app.LinkAsync(groupId: "120363410923125999@g.us", groupName: "Sales");
        await app.SlashCommandAsync("in 1h Only for the field");
        var record = Assert.Single(app.Slack.Posts);
        await app.LinkStore.RemoveLinkAsync(sales.Id, default);

        app.AdvanceTime(TimeSpan.FromHours(1));

        await app.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal(("Only for the field", "120363410923125768@g.us"), (Assert.Single(app.WhatsApp.Sends).Message, app.WhatsApp.Sends[0].To));
        var reply = await ReplyUnderAsync(app, record);
        Assert.Contains("✅ Sent to WhatsApp group Field Team", reply.Text);
        Assert.Contains("ℹ️ Not sent to Sales: unlinked or paused after this was scheduled.", reply.Text);
    }

    [Fact]
    public async Task A_schedule_whose_groups_are_all_unlinked_is_cancelled_and_its_thread_told()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        await app.SlashCommandAsync("in 1h Nobody to send to");
        var id = Assert.Single(await WaitingAsync(app)).Id;
        var record = Assert.Single(app.Slack.Posts);
        await app.LinkStore.RemoveLinkAsync(Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default)).Id, default);

        app.AdvanceTime(TimeSpan.FromHours(1));

        Assert.Equal("🚫 Cancelled by Bridge: none of its groups is linked to this channel any more. This scheduled message will not be sent.", (await ReplyUnderAsync(app, record)).Text);
        Assert.Equal(ScheduleState.Cancelled, (await Store(app).GetScheduleAsync(id, default))!.State);
        Assert.Empty(app.WhatsApp.Sends);
    }

    [Fact]
    public async Task An_admin_cancels_someone_elses_schedule_in_chat()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        await app.SlashCommandAsync("in 1h Big news");
        var id = Assert.Single(await WaitingAsync(app)).Id;

        var cancelled = await AnswerAsync(await app.SlashCommandAsync($"cancel {id}", userId: BridgeApp.AdminUserId));

        Assert.StartsWith($"Cancelled `{id}`", cancelled);
        Assert.Empty(await WaitingAsync(app));
    }

    [Fact]
    public async Task The_admin_api_lists_and_cancels_schedules_and_the_thread_is_told()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        await app.SlashCommandAsync("in 1h From the API");
        var record = Assert.Single(app.Slack.Posts);
        var api = app.Api();

        var list = (await api.GetFromJsonAsync<JsonObject>("/admin/api/schedules"))!;
        var listed = Assert.Single(list["waiting"]!.AsArray())!;
        var id = (string)listed["id"]!;
        Assert.Equal(("Pending", "From the API", "Tue 1 Dec 09:15 (UTC)", "Field Team"),
            ((string?)listed["state"], (string?)listed["textPreview"], (string?)listed["when"], (string?)listed["groupNames"]![0]));
        Assert.True((bool)listed["canCancel"]!);

        var cancel = await api.PostAsync($"/admin/api/schedules/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("Cancelled", (string?)(await cancel.Content.ReadFromJsonAsync<JsonObject>())!["state"]);
        Assert.Equal("🚫 Cancelled by a Bridge admin. This scheduled message will not be sent.", (await ReplyUnderAsync(app, record)).Text);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/admin/api/schedules/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/admin/api/schedules/zzzzz/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api(key: null).GetAsync("/admin/api/schedules")).StatusCode);
        list = (await api.GetFromJsonAsync<JsonObject>("/admin/api/schedules"))!;
        Assert.Empty(list["waiting"]!.AsArray());
        Assert.Equal(("Cancelled", "a Bridge admin"), ((string?)list["finished"]![0]!["state"], (string?)list["finished"]![0]!["cancelledBy"]));
    }

    [Fact]
    public async Task The_admin_page_lists_schedules_and_cancels_one()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        await app.SlashCommandAsync("in 1h From the page");
        var id = Assert.Single(await WaitingAsync(app)).Id;
        var browser = AdminPageTests.Browser(app);
        await AdminPageTests.SignInAsync(browser, AdminApp.Key);

        var page = await AdminPageTests.ReadAsync(await browser.GetAsync("/admin"));
        var row = page.QuerySelector($"#schedules tr[data-schedule='{id}']")!;
        Assert.Contains("Tue 1 Dec 09:15 (UTC)", row.TextContent);
        Assert.Contains("From the page", row.TextContent);
        Assert.NotNull(row.QuerySelector($"form[action='/admin/schedules/{id}/cancel']"));

        var token = await AdminPageTests.FormTokenAsync(browser, "/admin");
        var cancel = await browser.PostAsync($"/admin/schedules/{id}/cancel", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        Assert.Equal("/admin?done=cancelled#schedules", cancel.Headers.Location!.OriginalString);
        Assert.Equal(ScheduleState.Cancelled, (await Store(app).GetScheduleAsync(id, default))!.State);
        page = await AdminPageTests.ReadAsync(await browser.GetAsync("/admin"));
        Assert.Null(page.QuerySelector($"form[action='/admin/schedules/{id}/cancel']"));
        Assert.Contains("Cancelled", page.QuerySelector($"#schedules tr[data-schedule='{id}']")!.TextContent);
        var again = await browser.PostAsync($"/admin/schedules/{id}/cancel", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("It was cancelled by a Bridge admin.", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_schedule_stored_before_a_restart_goes_on_time_after_it()
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");
        var record = await ScheduleAndStopAsync("in 1h Survives a restart", whatsApp, slack, database);
        await using var second = await StartAsync(new FakeTimeProvider(Start.AddMinutes(10)), whatsApp, slack, database, link: false);
        _ = second.Services; // starts the host and its workers
        second.AdvanceTime(TimeSpan.FromMinutes(50) - TimeSpan.FromSeconds(1));
        await second.SlashCommandAsync("Barrier");
        await whatsApp.WaitForSendsAsync(1);
        Assert.Equal("Barrier", Assert.Single(whatsApp.Sends).Message);

        second.AdvanceTime(TimeSpan.FromSeconds(1));

        await whatsApp.WaitForSendsAsync(2);
        Assert.Equal(("Survives a restart", Start.AddHours(1)), (whatsApp.Sends[1].Message, whatsApp.Sends[1].At));
        var reply = await ReplyUnderAsync(second, record, slack);
        Assert.Contains("✅ Sent to WhatsApp group Field Team", reply.Text);
        Assert.DoesNotContain("late", reply.Text);
    }

    [Fact]
    public async Task A_schedule_whose_time_passed_while_Bridge_was_stopped_goes_at_once_and_says_it_is_late()
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");
        var record = await ScheduleAndStopAsync("in 1h Better late", whatsApp, slack, database);
        await using var second = await StartAsync(new FakeTimeProvider(Start.AddHours(3).AddMinutes(5)), whatsApp, slack, database, link: false);
        _ = second.Services;

        await whatsApp.WaitForSendsAsync(1);
        Assert.Equal(("Better late", Start.AddHours(3).AddMinutes(5)), (whatsApp.Sends[0].Message, whatsApp.Sends[0].At));
        var reply = await ReplyUnderAsync(second, record, slack);
        Assert.Contains("✅ Sent to WhatsApp group Field Team", reply.Text);
        Assert.Contains("ℹ️ Sent 2 h 5 min late: Bridge was not running at Tue 1 Dec 09:15 (UTC).", reply.Text);
    }

    [Fact]
    public async Task A_Teams_mention_schedules_in_the_activitys_local_time_zone_and_answers_in_the_thread()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var mention = teams.Mention("at 2026-12-24 08:30 Feliz Navidad");

        await teams.PostAsync(mention);

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        var schedule = Assert.Single(await Store(teams.App).ListSchedulesAsync(null, waiting: true, 10, default));
        Assert.Equal((new DateTimeOffset(2026, 12, 24, 7, 30, 0, TimeSpan.Zero), "Europe/Madrid", "Feliz Navidad"),
            (schedule.SendAt, schedule.ZoneId, schedule.Forward.Text));
        var answer = teams.BotFramework.Posts[0];
        Assert.StartsWith($"⏰ Scheduled for Thu 24 Dec 08:30 (Europe/Madrid) to WhatsApp group Field Team (id `{schedule.Id}`). Times are read in your time zone, Europe/Madrid.", answer.Text);
        Assert.Equal((string?)mention["id"], (string?)answer.Body["replyToId"]);
        Assert.Empty(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task A_Teams_mention_without_a_local_time_zone_schedules_in_UTC_and_says_so()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var mention = teams.Mention("at 2026-12-24 08:30 Merry Christmas");
        mention.Remove("localTimezone");

        await teams.PostAsync(mention);

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Equal(new DateTimeOffset(2026, 12, 24, 8, 30, 0, TimeSpan.Zero), Assert.Single(await Store(teams.App).ListSchedulesAsync(null, waiting: true, 10, default)).SendAt);
        Assert.Contains("Thu 24 Dec 08:30 (UTC)", teams.BotFramework.Posts[0].Text);
        Assert.Contains("Times are read as UTC: Teams did not say your time zone.", teams.BotFramework.Posts[0].Text);
    }

    private static async Task<BridgeApp> StartAsync(FakeTimeProvider clock)
    {
        var app = await AdminApp.StartAsync(a => a.Time = clock);
        await app.LinkAsync();
        return app;
    }

    /// <summary>A Bridge on fakes and a database a restart shares; linked on its first start only.</summary>
    private static async Task<BridgeApp> StartAsync(FakeTimeProvider clock, FakeTalkNTalk whatsApp, FakeSlackApi slack, string database, bool link = true)
    {
        var app = await BridgeApp.StartAsync(whatsApp, slack, database);
        app.Time = clock;
        if (link)
        {
            await app.LinkAsync();
        }

        return app;
    }

    /// <summary>A first Bridge on the database schedules the command, then stops; returns the schedule's visible record.</summary>
    private static async Task<SlackPost> ScheduleAndStopAsync(string command, FakeTalkNTalk whatsApp, FakeSlackApi slack, string database)
    {
        await using (var first = await StartAsync(new FakeTimeProvider(Start), whatsApp, slack, database))
        {
            await first.SlashCommandAsync(command);
        }

        return Assert.Single(slack.Posts);
    }

    private static void AddMaria(BridgeApp app, string timeZone)
    {
        app.Slack.AddUser(Maria, "maria");
        app.Slack.Users[Maria]["tz"] = timeZone;
    }

    private static async Task<string> AnswerAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["text"]!;
    }

    private static async Task<SlackPost> ReplyUnderAsync(BridgeApp app, SlackPost record, FakeSlackApi? slack = null)
    {
        slack ??= app.Slack;
        await slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs == record.Ts));
        return Assert.Single(slack.Posts, p => p.ThreadTs == record.Ts);
    }

    private static IScheduleStore Store(BridgeApp app) => app.Services.GetRequiredService<IScheduleStore>();

    private static Task<IReadOnlyList<ScheduledSend>> WaitingAsync(BridgeApp app) =>
        Store(app).ListSchedulesAsync(null, waiting: true, 10, default);
}
