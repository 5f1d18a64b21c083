using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Tests.Admin;
using Bridge.Slack;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Slack;

/// <summary>
/// Where the outcome goes when Slack refuses or never answers a post, and what the delivery history records. Slack's
/// error answers are the documented ones: HTTP 200 with <c>{"ok":false,"error":…,"needed":…}</c>, or 429 with Retry-After.
/// </summary>
public sealed class SlackReplyTests
{
    private const string Channel = "C08QWERTY12";

    private static Task RepliedAsync(BridgeApp app) => app.WaitForLogAsync(line => line.Contains("[2102]"));

    private static async Task<JsonObject> HistoryItemAsync(BridgeApp app) =>
        (await app.Api().GetFromJsonAsync<JsonObject>("/admin/api/deliveries"))!["items"]!.AsArray().Single()!.AsObject();

    private static async Task<JsonObject> SlackSetupAsync(BridgeApp app) =>
        (await app.Api().GetFromJsonAsync<JsonObject>("/admin/api/setup"))!["integrations"]!.AsArray()
            .Single(i => (string?)i!["name"] == "Slack")!.AsObject();

    private static List<SlackPost> ChannelPosts(BridgeApp app) => app.Slack.Posts.Where(p => p.Channel == Channel).ToList();

    public static TheoryData<string, string?, string> Refusals => new()
    {
        { "not_in_channel", null, "Invite it with `/invite @Bridge`" },
        { "invalid_auth", null, "Slack:BotToken" },
        { "token_revoked", null, "Slack:BotToken" },
        { "account_inactive", null, "Slack:BotToken" },
        { "missing_scope", "chat:write", "lacks the chat:write permission" },
        { "restricted_action", null, "restricted_action" },
        { "channel_is_archived", null, "archived" },
        { "msg_too_long", null, "too long" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_channel_post_tells_the_sender_through_response_url_and_history_records_it(string error, string? needed, string told)
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync();
        app.Slack.MethodErrors["chat.postMessage"] = new SlackError(error, needed);

        await app.SlashCommandAsync("Hello team!");

        await app.Slack.WaitForResponsesAsync(2);
        await RepliedAsync(app);
        Assert.Contains(told, app.Slack.Responses[0].Text);
        Assert.Contains("✅ Sent to WhatsApp group Field Team", app.Slack.Responses[1].Text);
        // One call: the refused record. The outcome went privately instead of a second try in the channel.
        Assert.Null(Assert.Single(app.Slack.PostCalls).ThreadTs);
        Assert.Empty(app.Slack.Posts);
        Assert.Single(app.WhatsApp.Sends);
        var item = await HistoryItemAsync(app);
        Assert.Equal(("Delivered", "response_url", null), ((string?)item["status"], (string?)item["reply"], (string?)item["replyError"]));
    }

    [Fact]
    public async Task A_missing_scope_turns_the_setup_card_red_naming_the_scope_until_a_post_works_again()
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync();
        app.Slack.MethodErrors["chat.postMessage"] = new SlackError("missing_scope", "chat:write");
        await app.SlashCommandAsync("Hello team!");
        await app.Slack.WaitForResponsesAsync(2);

        var slack = await SlackSetupAsync(app);
        Assert.Equal("failing", (string?)slack["state"]);
        Assert.Contains("missing_scope (needed: chat:write)", (string?)slack["summary"]);

        app.Slack.MethodErrors.Clear();
        await app.SlashCommandAsync("Hello again!");
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null));
        await app.WaitForLogAsync(line => line.Contains("[2102]") && line.Contains("(Thread)"));
        Assert.Equal("ok", (string?)(await SlackSetupAsync(app))["state"]);
    }

    [Fact]
    public async Task A_mention_answer_Slack_refuses_in_the_thread_reaches_the_sender_as_an_ephemeral_message()
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync();
        app.Slack.PostBehavior = _ => (200, "restricted_action", null);

        await app.PostEventAsync(Fixtures.Read("slack-events-app-mention.json"));

        // The command's answer and the outcome, in either order.
        await app.Slack.WaitForEphemeralsAsync(2);
        await RepliedAsync(app);
        Assert.All(app.Slack.Ephemerals, e => Assert.Equal((Channel, "U07ZXCVB456", "1767223000.000200"), (e.Channel, e.User, e.ThreadTs)));
        Assert.All(app.Slack.Ephemerals, e => Assert.Contains("restricted_action", e.Text));
        Assert.Contains(app.Slack.Ephemerals, e => e.Text.StartsWith("Sending to WhatsApp group Field Team", StringComparison.Ordinal));
        Assert.Contains(app.Slack.Ephemerals, e => e.Text.StartsWith("✅ Sent to WhatsApp group Field Team", StringComparison.Ordinal));
        Assert.Empty(app.Slack.Posts);
        Assert.Equal("ephemeral", (string?)(await HistoryItemAsync(app))["reply"]);
    }

    [Fact]
    public async Task When_the_channel_refuses_both_posts_and_ephemerals_the_outcome_comes_as_a_direct_message()
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync();
        app.Slack.PostBehavior = post => post.Channel == Channel ? (200, "not_in_channel", null) : null;
        app.Slack.MethodErrors["chat.postEphemeral"] = new SlackError("not_in_channel");

        await app.PostEventAsync(Fixtures.Read("slack-events-app-mention.json"));

        await app.Slack.WaitForPostsAsync(posts => posts.Count == 2);
        await RepliedAsync(app);
        Assert.All(app.Slack.Posts, p => Assert.Equal("DU07ZXCVB456", p.Channel));
        Assert.All(app.Slack.Posts, p => Assert.Contains("Invite it with `/invite @Bridge`", p.Text));
        Assert.Contains(app.Slack.Posts, p => p.Text.StartsWith("✅ Sent to WhatsApp group Field Team", StringComparison.Ordinal));
        Assert.Equal("dm", (string?)(await HistoryItemAsync(app))["reply"]);
    }

    [Fact]
    public async Task With_no_way_left_to_reply_history_records_every_Slack_error_and_the_setup_card_is_red()
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync();
        foreach (var method in new[] { "chat.postMessage", "chat.postEphemeral", "conversations.open" })
        {
            app.Slack.MethodErrors[method] = new SlackError("token_revoked");
        }

        await app.PostEventAsync(Fixtures.Read("slack-events-app-mention.json"));

        await app.WaitForLogAsync(line => line.Contains("[2101]") && line.Contains("giving up: True"));
        var item = await HistoryItemAsync(app);
        Assert.Equal(("Delivered", "failed"), ((string?)item["status"], (string?)item["reply"]));
        Assert.Equal(
            "No way to reach the sender on Slack: chat.postMessage: token_revoked; chat.postEphemeral: token_revoked; conversations.open: token_revoked",
            (string?)item["replyError"]);
        Assert.Equal("failing", (string?)(await SlackSetupAsync(app))["state"]);
    }

    [Fact]
    public async Task An_expired_response_url_falls_back_to_an_ephemeral_message()
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync();
        app.Slack.PostBehavior = post => post.ThreadTs is null ? (200, "channel_not_found", null) : null;
        app.Slack.ResponseUrlStatus = 404;

        await app.SlashCommandAsync("Hello team!");

        await app.Slack.WaitForEphemeralsAsync(2);
        await RepliedAsync(app);
        Assert.Contains("Invite it with `/invite @Bridge`", app.Slack.Ephemerals[0].Text);
        Assert.Contains("✅ Sent to WhatsApp group Field Team", app.Slack.Ephemerals[1].Text);
        Assert.All(app.Slack.Ephemerals, e => Assert.Null(e.ThreadTs));
        Assert.Empty(app.Slack.Responses);
        Assert.Empty(app.Slack.Posts);
        Assert.Equal("ephemeral", (string?)(await HistoryItemAsync(app))["reply"]);
    }

    [Fact]
    public async Task After_30_minutes_the_response_url_is_not_used_and_the_outcome_comes_as_an_ephemeral_message()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await AdminApp.StartAsync(a => a.Time = clock);
        await app.LinkAsync();
        app.Slack.PostBehavior = _ => (200, "not_in_channel", null);
        var refusals = 0;
        app.WhatsApp.SendBehavior = _ => Interlocked.Increment(ref refusals) == 1 ? new FakeAnswer(503) : null;

        await app.SlashCommandAsync("Hello team!");
        // The notice that the channel refused the record, answered before the clock moves past its timeout.
        await app.WaitForLogAsync(line => line.Contains("[2103]"));
        await app.WaitForLogAsync(line => line.Contains("[2002]")); // WhatsApp refused the first send: a retry is due later

        app.AdvanceTime(TimeSpan.FromMinutes(31));
        await app.Slack.WaitForEphemeralsAsync(1);
        await RepliedAsync(app);

        Assert.Contains("✅ Sent to WhatsApp group Field Team", Assert.Single(app.Slack.Ephemerals).Text);
        Assert.Single(app.Slack.Responses);
        Assert.Empty(app.Slack.Posts);
        Assert.Equal("ephemeral", (string?)(await HistoryItemAsync(app))["reply"]);
    }

    /// <summary>Slack says so by HTTP 429, or by <c>rate_limited</c> in an HTTP 200 (https://docs.slack.dev/reference/methods/chat.postMessage#errors).</summary>
    [Theory]
    [InlineData(429, "ratelimited")]
    [InlineData(200, "rate_limited")]
    public async Task A_rate_limited_post_is_retried_in_the_thread_not_told_privately(int status, string error)
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync();
        var limited = 0;
        app.Slack.PostBehavior = post => post.ThreadTs is not null && Interlocked.Increment(ref limited) <= 3 ? (status, error, 0) : null;

        await app.SlashCommandAsync("Hello team!");

        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null));
        await RepliedAsync(app);
        Assert.Equal(2, ChannelPosts(app).Count); // the record and one outcome in its thread
        Assert.Empty(app.Slack.Responses);
        Assert.Equal("thread", (string?)(await HistoryItemAsync(app))["reply"]);
    }

    [Fact]
    public async Task A_post_Slack_answers_after_the_timeout_is_not_repeated_and_the_outcome_goes_to_response_url()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await AdminApp.StartAsync(a => a.Time = clock);
        await app.LinkAsync();
        var (arrived, release) = HoldPosts(app, post => post.ThreadTs is null);

        await app.SlashCommandAsync("Hello team!");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(11)); // past the 10 s per-try timeout
        await app.WaitForLogAsync(line => line.Contains("[2101]"));
        release.SetResult(); // Slack took the post after all
        await app.Slack.WaitForPostsAsync(posts => posts.Count == 1);
        await app.WhatsApp.WaitForSendsAsync(1);

        // The retry falls due; the outcome goes privately instead of a second record.
        app.AdvanceTime(TimeSpan.FromSeconds(5));
        await app.Slack.WaitForResponsesAsync(1);
        await app.WaitForLogAsync(line => line.Contains("[2102]"));
        Assert.Contains("✅ Sent to WhatsApp group Field Team", Assert.Single(app.Slack.Responses).Text);
        var record = Assert.Single(app.Slack.Posts);
        Assert.Null(record.ThreadTs);
        Assert.Equal("response_url", (string?)(await HistoryItemAsync(app))["reply"]);
    }

    [Fact]
    public async Task A_thread_reply_Slack_answers_after_the_timeout_is_not_repeated_and_goes_to_response_url()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await AdminApp.StartAsync(a => a.Time = clock);
        await app.LinkAsync();
        var (arrived, release) = HoldPosts(app, post => post.ThreadTs is not null);

        await app.SlashCommandAsync("Hello team!");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(11)); // past the 10 s per-try timeout
        await app.WaitForLogAsync(line => line.Contains("[2101]"));
        release.SetResult(); // Slack took the thread post after all
        await app.Slack.WaitForPostsAsync(posts => posts.Count == 2);

        app.AdvanceTime(TimeSpan.FromSeconds(5)); // the retry falls due
        await app.Slack.WaitForResponsesAsync(1);
        await RepliedAsync(app);
        Assert.Contains("✅ Sent to WhatsApp group Field Team", Assert.Single(app.Slack.Responses).Text);
        Assert.Single(app.Slack.PostCalls, p => p.ThreadTs is not null);
        Assert.Equal(2, app.Slack.PostCalls.Count);
        var item = await HistoryItemAsync(app);
        Assert.Equal(("response_url", null), ((string?)item["reply"], (string?)item["replyError"]));
    }

    [Fact]
    public async Task A_long_Retry_After_on_one_forwards_reply_does_not_hold_another_forwards_reply()
    {
        const string drivers = "C08DRIVERS01";
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await AdminApp.StartAsync(a => a.Time = clock);
        await app.LinkAsync();
        await app.LinkAsync(channelId: drivers, groupId: "120363410923125769@g.us", groupName: "Drivers");
        app.Slack.PostBehavior = post => post.Channel == Channel && post.ThreadTs is not null ? (429, "ratelimited", 60) : null;

        await app.SlashCommandAsync("Hello team!");
        await app.Slack.WaitForRefusedAsync(refused => refused.Count == 1);
        await app.SlashCommandAsync("Gate B at 14:30", channelId: drivers);

        // The clock never moves: a reply that waited out Retry-After inside the HTTP call would hold this one forever.
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.Channel == drivers && p.ThreadTs is not null));
        Assert.Single(app.Slack.PostCalls, p => p.Channel == Channel && p.ThreadTs is not null);
    }

    [Fact]
    public async Task A_thread_reply_whose_answer_stalls_ends_at_the_timeout_and_another_threads_reply_goes_meanwhile()
    {
        const string drivers = "C08DRIVERS01";
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await AdminApp.StartAsync(a => a.Time = clock);
        await app.LinkAsync();
        await app.LinkAsync(channelId: drivers, groupId: "120363410923125769@g.us", groupName: "Drivers");
        var stall = new StalledBody();
        app.Slack.StallPost = post => post.Channel == Channel && post.ThreadTs is not null ? stall : null;

        await app.SlashCommandAsync("Hello team!");
        await stall.HeadersSent.WaitAsync(TimeSpan.FromSeconds(30));
        await app.SlashCommandAsync("Gate B at 14:30", channelId: drivers);

        // The clock stands still: the Drivers thread gets its record and outcome, recorded, while the other answer is held.
        await app.WaitForLogAsync(line => line.Contains("[2102]") && line.Contains("(Thread)"));
        Assert.Single(app.Slack.Posts, p => p.Channel == drivers && p.ThreadTs is not null);
        Assert.False(stall.Abandoned.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(11)); // past the 10 s per-try timeout, which covers the body too
        await stall.Abandoned.WaitAsync(TimeSpan.FromSeconds(30));
        await app.WaitForLogAsync(line => line.Contains("[2101]") && line.Contains("TimeoutRejectedException"));
        stall.Release();

        // An ordinary failure: the retry falls due, and since the thread post may have been made, the outcome goes privately.
        app.AdvanceTime(TimeSpan.FromSeconds(5));
        await app.Slack.WaitForResponsesAsync(1);
        Assert.Contains("✅ Sent to WhatsApp group Field Team", Assert.Single(app.Slack.Responses).Text);
        Assert.Single(app.Slack.PostCalls, p => p.Channel == Channel && p.ThreadTs is not null);
    }

    [Fact]
    public async Task After_the_last_rate_limited_try_the_outcome_goes_to_response_url()
    {
        await using var app = await AdminApp.StartAsync(a => a.Settings["Delivery:MaxReplyAttempts"] = "2");
        await app.LinkAsync();
        app.Slack.PostBehavior = post => post.ThreadTs is not null ? (429, "ratelimited", 0) : null;

        await app.SlashCommandAsync("Hello team!");

        await app.Slack.WaitForResponsesAsync(1);
        await RepliedAsync(app);
        Assert.Contains("✅ Sent to WhatsApp group Field Team", Assert.Single(app.Slack.Responses).Text);
        Assert.Equal(2, app.Slack.PostCalls.Count(p => p.ThreadTs is not null));
        var item = await HistoryItemAsync(app);
        Assert.Equal(("Delivered", "response_url"), ((string?)item["status"], (string?)item["reply"]));
    }

    public static TheoryData<int, string, int?> ThreadTrouble => new()
    {
        { 429, "ratelimited", 60 },
        { 200, "internal_error", null },
        { 503, "service_unavailable", null },
    };

    [Theory]
    [MemberData(nameof(ThreadTrouble))]
    public async Task A_mention_answer_Slack_cannot_take_now_reaches_the_sender_as_an_ephemeral_message(int status, string error, int? retryAfter)
    {
        await using var app = await AdminApp.StartAsync();
        app.Slack.PostBehavior = _ => (status, error, retryAfter);

        await app.PostEventAsync(MentionCommand("help"));

        await app.Slack.WaitForEphemeralsAsync(1);
        var told = Assert.Single(app.Slack.Ephemerals);
        Assert.Equal((Channel, "U07ZXCVB456", "1767223000.000200"), (told.Channel, told.User, told.ThreadTs));
        Assert.Contains(SlackMentions.Usage, told.Text);
        Assert.Single(app.Slack.PostCalls);
        Assert.Empty(app.Slack.Posts);
    }

    [Fact]
    public async Task A_mention_answer_Slack_does_not_answer_in_time_reaches_the_sender_as_an_ephemeral_message_once()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await AdminApp.StartAsync(a => a.Time = clock);
        var (arrived, release) = HoldPosts(app, _ => true);

        // The event's answer waits for the work up to the ack budget, which this clock ends too.
        var acknowledged = app.PostEventAsync(MentionCommand("help"));
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(11)); // past the 10 s per-try timeout
        await acknowledged;

        await app.Slack.WaitForEphemeralsAsync(1);
        release.SetResult();
        Assert.Contains("did not take this answer in the thread", Assert.Single(app.Slack.Ephemerals).Text);
        Assert.Single(app.Slack.PostCalls);
    }

    [Fact]
    public async Task A_mention_answer_refused_for_a_missing_scope_turns_the_setup_card_red()
    {
        await using var app = await AdminApp.StartAsync();
        app.Slack.MethodErrors["chat.postMessage"] = new SlackError("missing_scope", "chat:write");

        await app.PostEventAsync(MentionCommand("help"));

        await app.Slack.WaitForEphemeralsAsync(1);
        Assert.Contains("lacks the chat:write permission", Assert.Single(app.Slack.Ephemerals).Text);
        var slack = await SlackSetupAsync(app);
        Assert.Equal("failing", (string?)slack["state"]);
        Assert.Contains("chat.postMessage: missing_scope (needed: chat:write)", (string?)slack["summary"]);
    }

    /// <summary>
    /// A slow Slack: the chat.postMessage calls that match wait for Release before Slack takes them; Arrived completes
    /// when the first one came.
    /// </summary>
    private static (TaskCompletionSource Arrived, TaskCompletionSource Release) HoldPosts(BridgeApp app, Func<SlackPost, bool> held)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Slack.BeforePost = post =>
        {
            if (!held(post))
            {
                return Task.CompletedTask;
            }

            arrived.TrySetResult();
            return release.Task;
        };
        return (arrived, release);
    }

    /// <summary>The documented app_mention event, carrying "@Bridge {command}".</summary>
    private static string MentionCommand(string command)
    {
        var mention = JsonNode.Parse(Fixtures.Read("slack-events-app-mention.json"))!;
        mention["event"]!["text"] = $"<@U08BOTUSER9> {command}";
        mention["event"]!.AsObject().Remove("blocks");
        return mention.ToJsonString();
    }
}
