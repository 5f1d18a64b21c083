using System.Net;
using Bridge.Storage;
using Bridge.Forwarding;
using Bridge.Tests.Admin;
using Bridge.Tests.Infrastructure;
using Bridge.WhatsApp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Delivery;

public sealed class DeliveryTests
{
    [Theory]
    [InlineData(400, "WhatsApp refused the message as invalid (WhatsApp API said: Scripted failure.)")]
    [InlineData(401, "Bridge's WhatsApp API key is invalid or was revoked. Tell a Bridge admin to update WhatsApp:ApiKey.")]
    [InlineData(403, "Bridge's WhatsApp API key is not allowed to send this.")]
    [InlineData(404, "The WhatsApp phone (session) of this link is not in the organisation")]
    [InlineData(409, "The WhatsApp phone is not connected. Reconnect it in the TalkNTalk dashboard")]
    [InlineData(502, "WhatsApp rejected the message (WhatsApp API said: Scripted failure.)")]
    public async Task A_refusal_is_reported_at_once_as_a_sentence_and_not_retried(int status, string sentence)
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        app.WhatsApp.SendBehavior = _ => new FakeAnswer(status);

        await app.SlashCommandAsync("Hello team!");

        var reply = await ThreadReplyAsync(app);
        Assert.Contains("❌ Not sent to WhatsApp group Field Team", reply.Text);
        Assert.Contains(sentence, WebUtility.HtmlDecode(reply.Text));
        Assert.Single(app.WhatsApp.Sends);
        Assert.Equal(DeliveryStatus.Failed, Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)).Status);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_failure_that_proves_the_message_was_not_taken_is_retried_until_it_is_sent(int status)
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var calls = 0;
        app.WhatsApp.SendBehavior = _ => Interlocked.Increment(ref calls) <= 2 ? new FakeAnswer(status) : null;

        await app.SlashCommandAsync("Hello team!");

        var reply = await ThreadReplyAsync(app);
        var delivered = app.WhatsApp.Sends.Single(s => s.Answer == 201);
        Assert.Contains($"✅ Sent to WhatsApp group Field Team: message_id {delivered.MessageId}", reply.Text);
        Assert.Equal([status, status, 201], app.WhatsApp.Sends.Select(s => s.Answer));
    }

    /// <summary>
    /// Bridge on a fake clock that stands still unless the test moves it, its phone's sends paced 5 s apart, and one
    /// channel linked to two of that phone's groups (Field Team and Drivers).
    /// </summary>
    private static async Task<BridgeApp> StartPacedAsync(Action<BridgeApp>? configure = null)
    {
        var app = await BridgeApp.StartAsync(a =>
        {
            a.Time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
            a.Settings["WhatsApp:PhoneSendInterval"] = "00:00:05";
            configure?.Invoke(a);
        });
        await app.LinkAsync();
        await app.LinkAsync(groupId: "120363410923125769@g.us", groupName: "Drivers");
        return app;
    }

    [Fact]
    public async Task A_paced_broadcast_from_one_phone_leaves_lanes_for_another_phone_to_send_at_once()
    {
        await using var app = await StartPacedAsync(a => a.Settings["Delivery:MaxParallelGroups"] = "3");
        await app.LinkAsync(groupId: "120363410923125770@g.us", groupName: "Support Desk");
        app.WhatsApp.Groups[FakeTalkNTalk.DefaultSessionId].Add(new FakeGroup("120363410923125771@g.us", "Night Shift"));
        await app.LinkAsync(groupId: "120363410923125771@g.us", groupName: "Night Shift");
        app.WhatsApp.Groups["sales-phone"] = [new FakeGroup("120363499999999999@g.us", "Sales")];
        var sales = await app.LinkAsync(channelId: "C09SALES0001", groupId: "120363499999999999@g.us", groupName: "Sales");
        sales.SessionId = "sales-phone";
        await app.LinkStore.UpdateLinkAsync(sales, default);

        await app.SlashCommandAsync("Broadcast from the ops phone");
        await app.WhatsApp.WaitForSendsAsync(1);
        await app.SlashCommandAsync("From the sales phone", channelId: "C09SALES0001");

        // The clock stands still: the ops phone's other groups wait for its interval (two lanes at most, so its next group
        // does not take the lane its first one left), and the sales phone does not.
        await app.WhatsApp.WaitForSendsAsync(2);
        Assert.Equal(("sales-phone", "120363499999999999@g.us"), (app.WhatsApp.Sends[1].SessionId, app.WhatsApp.Sends[1].To));
        Assert.Equal(app.WhatsApp.Sends[0].At, app.WhatsApp.Sends[1].At);
    }

    [Fact]
    public async Task Sends_from_one_phone_to_two_groups_leave_the_phone_send_interval_apart()
    {
        await using var app = await StartPacedAsync();

        await app.SlashCommandAsync("Paced");
        await app.WhatsApp.WaitForSendsAsync(1);
        // The clock stands still: the other group's send waits for the phone's five seconds.
        app.AdvanceTime(TimeSpan.FromSeconds(5));
        await app.WhatsApp.WaitForSendsAsync(2);

        var sends = app.WhatsApp.Sends;
        Assert.Equal(TimeSpan.FromSeconds(5), sends[1].At - sends[0].At);
        Assert.Equal(["120363410923125768@g.us", "120363410923125769@g.us"], sends.Select(s => s.To!).Order());
    }

    [Fact]
    public async Task A_429_is_retried_no_sooner_than_its_Retry_After()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await BridgeApp.StartAsync(a => a.Time = clock);
        await app.LinkAsync();
        var calls = 0;
        app.WhatsApp.SendBehavior = _ => Interlocked.Increment(ref calls) == 1 ? new FakeAnswer(429, RetryAfterSeconds: 1) : null;

        await app.SlashCommandAsync("Hello team!");

        // The fake records each send at the shared clock's time, which moves only by these steps.
        await app.MoveTimeUntilAsync(app.WhatsApp.WaitForSendsAsync(1), TimeSpan.FromMilliseconds(100));
        var sends = app.WhatsApp.Sends;
        Assert.Equal([429, 201], sends.Select(s => s.Answer));
        Assert.True(sends[1].At - sends[0].At >= TimeSpan.FromSeconds(1), $"retried after {sends[1].At - sends[0].At}");
    }

    [Fact]
    public async Task A_provider_that_stays_unavailable_is_reported_after_the_last_attempt()
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings["WhatsApp:MaxSendAttempts"] = "3");
        await app.LinkAsync();
        app.WhatsApp.SendBehavior = _ => new FakeAnswer(503, "Maintenance");

        await app.SlashCommandAsync("Hello team!");

        var reply = await ThreadReplyAsync(app);
        Assert.Contains("WhatsApp was unavailable (HTTP 503) (WhatsApp API said: Maintenance) after 3 attempts; the message was not sent.", WebUtility.HtmlDecode(reply.Text));
        Assert.Equal(3, app.WhatsApp.Sends.Count);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_and_then_reported()
    {
        await using var app = await BridgeApp.StartAsync(a =>
        {
            a.Settings["WhatsApp:BaseUrl"] = "http://127.0.0.1:9/";
            a.Settings["WhatsApp:MaxSendAttempts"] = "2";
        });
        await app.LinkAsync();

        await app.SlashCommandAsync("Hello team!");

        var reply = await ThreadReplyAsync(app);
        Assert.Contains("WhatsApp was unavailable", reply.Text);
        var job = Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Equal(2, job.Attempts.Count);
        Assert.All(job.Attempts, a => Assert.Equal("NotTaken", a.Outcome));
    }

    [Fact]
    public async Task A_send_held_back_by_the_open_circuit_waits_it_out_without_using_an_attempt()
    {
        // Ten answers that prove nothing was taken open the circuit (10 requests, 80 % failing); the retries that come
        // while it is open are held back by Bridge and must not count against the 11 attempts.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await BridgeApp.StartAsync(a =>
        {
            a.Time = clock;
            a.Settings["WhatsApp:MaxSendAttempts"] = "11";
            a.Settings["WhatsApp:CircuitBreakDuration"] = "00:01:00";
            // The clock moves in steps while sends are on their way: their own timeout, on the same clock, stays far off.
            a.Settings["WhatsApp:Timeout"] = "01:00:00";
        });
        await app.LinkAsync();
        var calls = 0;
        app.WhatsApp.SendBehavior = _ => Interlocked.Increment(ref calls) <= 10 ? new FakeAnswer(503) : null;

        await app.SlashCommandAsync("Hello team!");

        // Retries fall due within the 1 s RetryMaxDelay, so small steps bring the retry after the tenth 503 long before
        // the minute's break ends; then large steps end the break.
        await app.MoveTimeUntilAsync(app.WaitForLogAsync(line => line.Contains("[2002]") && line.Contains("HeldBack")), TimeSpan.FromMilliseconds(200));
        // Moved until the send that ends the break is taken, then left alone: the calls after it (the thread post) would
        // otherwise meet their own timeouts on the same clock.
        await app.MoveTimeUntilAsync(app.WhatsApp.WaitForSendsAsync(1), TimeSpan.FromSeconds(5));

        var reply = await ThreadReplyAsync(app);
        Assert.Contains("✅ Sent to WhatsApp group Field Team", reply.Text);
        Assert.Equal([.. Enumerable.Repeat(503, 10), 201], app.WhatsApp.Sends.Select(s => s.Answer));
        var job = Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Equal(DeliveryStatus.Delivered, job.Status);
        var deferred = job.Attempts.Where(a => a.Outcome == DeliveryAttempt.Deferred).ToList();
        Assert.NotEmpty(deferred);
        Assert.All(deferred, a => Assert.Equal("the circuit breaker is open after repeated failures", a.Detail));
        Assert.Equal(10, job.Attempts.Count(a => a.Outcome == "NotTaken"));
    }

    [Fact]
    public async Task A_send_that_times_out_is_reported_as_possibly_delivered_and_never_repeated()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await BridgeApp.StartAsync(a =>
        {
            a.Time = clock;
            a.Settings["WhatsApp:Timeout"] = "00:00:05";
        });
        await app.LinkAsync();
        app.WhatsApp.SendDelay = TimeSpan.FromSeconds(10);

        await app.SlashCommandAsync("Hello team!");
        await app.WhatsApp.WaitForRequestsAsync(requests => requests.Any(r => r.Method == "POST"));
        clock.Advance(TimeSpan.FromSeconds(6)); // past the timeout, before the fake answers

        var reply = await ThreadReplyAsync(app);
        Assert.Contains("⚠️ Possibly delivered to WhatsApp group Field Team", reply.Text);
        Assert.Contains("may or may not have been delivered", reply.Text);
        Assert.Single(app.WhatsApp.Requests, r => r.Method == "POST");
        Assert.Equal(DeliveryStatus.Unknown, Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)).Status);
    }

    [Fact]
    public async Task A_send_whose_body_stalls_after_its_headers_is_reported_possibly_delivered_at_the_timeout_and_the_groups_next_job_is_sent()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var timeout = TimeSpan.FromSeconds(5);
        await using var app = await BridgeApp.StartAsync(a =>
        {
            a.Time = clock;
            a.Settings["WhatsApp:Timeout"] = timeout.ToString("c");
            // The HTTP client's own line when the answer's headers arrived, so the test moves the clock only once they did.
            a.Settings["Logging:LogLevel:System.Net.Http.HttpClient.TalkNTalkClient.ClientHandler"] = "Information";
        });
        await app.LinkAsync();
        var body = new TaskCompletionSource();
        app.WhatsApp.SendBehavior = send => send.Message == "stalled" ? new FakeAnswer(BodyReleased: body.Task) : null;

        await app.SlashCommandAsync("stalled");
        await app.SlashCommandAsync("next");
        await app.WaitForLogAsync(line => line.Contains("ClientHandler") && line.Contains("Received HTTP response headers"));

        clock.Advance(timeout - TimeSpan.FromMilliseconds(100));
        var stalled = (await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)).MinBy(j => j.Id)!;
        Assert.Equal(DeliveryStatus.Sending, stalled.Status);

        clock.Advance(TimeSpan.FromMilliseconds(200)); // past the timeout; the body never came
        await app.WhatsApp.WaitForRequestsAsync(requests => requests.Count(r => r.Method == "POST") == 2);
        await app.Slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) == 2);
        body.SetResult();

        var replies = app.Slack.Posts.Where(p => p.ThreadTs is not null).Select(p => p.Text).ToList();
        Assert.Single(replies, r => r.Contains("⚠️ Possibly delivered to WhatsApp group Field Team") && r.Contains("may or may not have been delivered"));
        var next = app.WhatsApp.Sends.Single(s => s.Message == "next");
        Assert.Single(replies, r => r.Contains($"✅ Sent to WhatsApp group Field Team: message_id {next.MessageId}"));
        stalled = (await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)).MinBy(j => j.Id)!;
        Assert.Equal(DeliveryStatus.Unknown, stalled.Status);
        var sentAt = app.WhatsApp.Sends.Single(s => s.Message == "stalled").At;
        Assert.True(stalled.Attempts.Single().At - sentAt >= timeout, $"reported {stalled.Attempts.Single().At - sentAt} after the send");
        Assert.Equal(["stalled", "next"], app.WhatsApp.Sends.Select(s => s.Message)); // the stalled send is not repeated
    }

    [Fact]
    public async Task A_job_waiting_for_a_rate_limit_permit_stays_pending_until_the_permit_is_granted()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var window = TimeSpan.FromMinutes(10);
        await using var app = await BridgeApp.StartAsync(RateLimit(clock, 1, window));
        await app.LinkAsync();

        await app.SlashCommandAsync("takes the permit");
        await app.SlashCommandAsync("waits for the next");
        await app.WhatsApp.WaitForSendsAsync(1);
        await app.WaitForLogAsync(line => line.Contains("[6001]"));
        // Both visible records are posted and the first outcome replied, so no Slack call is in flight on the clock when it jumps.
        await app.WaitForLogAsync(_ => app.Logs.Count(line => line.Contains("[2103]")) == 2);
        await app.WaitForLogAsync(line => line.Contains("[2102]"));

        var waiting = (await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)).MaxBy(j => j.Id)!;
        Assert.Equal(DeliveryStatus.Pending, waiting.Status);
        Assert.Empty(waiting.Attempts);
        Assert.Single(app.WhatsApp.Sends);

        // A window and two segments later the permit is back: the job is sent, once.
        clock.Advance(window + window / 10);
        await app.WhatsApp.WaitForSendsAsync(2);
        await app.Slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) == 2);
        Assert.Equal(["takes the permit", "waits for the next"], app.WhatsApp.Sends.Select(s => s.Message));
        Assert.All(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default), j => Assert.Equal(DeliveryStatus.Delivered, j.Status));
    }

    [Fact]
    public async Task A_connection_dropped_after_sending_is_reported_as_possibly_delivered()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        app.WhatsApp.SendBehavior = _ => new FakeAnswer(DropConnection: true);

        await app.SlashCommandAsync("Hello team!");

        var reply = await ThreadReplyAsync(app);
        Assert.Contains("⚠️ Possibly delivered", reply.Text);
        Assert.Single(app.WhatsApp.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Messages_to_one_group_go_in_acceptance_order_while_groups_run_in_parallel()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        await app.LinkAsync(groupId: "120363410923125769@g.us", groupName: "Drivers");
        var random = new Random(7);
        app.WhatsApp.SendBehavior = _ => new FakeAnswer(Delay: TimeSpan.FromMilliseconds(random.Next(0, 25)));

        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.SlashCommandAsync($"message {i:D2}")).StatusCode);
        }

        await app.WhatsApp.WaitForSendsAsync(24);
        foreach (var group in new[] { "120363410923125768@g.us", "120363410923125769@g.us" })
        {
            var received = app.WhatsApp.Sends.Where(s => s.To == group).Select(s => s.Message).ToList();
            Assert.Equal(Enumerable.Range(0, 12).Select(i => $"message {i:D2}"), received);
        }
    }

    [Fact]
    public async Task The_rate_limit_lets_its_permits_go_at_once_and_the_next_send_waits_a_window_and_a_margin_of_the_app_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var window = TimeSpan.FromMinutes(10); // far longer than the test runs: only the app clock can bring a permit back
        await using var app = await BridgeApp.StartAsync(RateLimit(clock, 4, window));
        await app.LinkAsync();
        var rateLimit = app.Services.GetRequiredService<TalkNTalkRateLimit>();
        var permits = app.Services.GetRequiredService<IPermitLog>();
        var start = clock.GetUtcNow();

        for (var i = 0; i < 5; i++)
        {
            await app.SlashCommandAsync($"burst {i}");
        }

        await app.WhatsApp.WaitForSendsAsync(4);
        // The four outcomes are recorded, so nothing is in flight when the clock jumps but the fifth send, which waits.
        await app.WaitForLogAsync(_ => app.Logs.Count(line => line.Contains("[2102]")) == 4);
        Assert.Equal(4, app.WhatsApp.Sends.Count);

        // A tick short of a window and the 5 % margin, no permit is back yet (the log refuses, recording nothing)...
        clock.Advance(window * 1.05 - TimeSpan.FromTicks(1));
        Assert.Equal(window * 1.05, rateLimit.Hold);
        Assert.Equal(start + rateLimit.Hold, await permits.TryTakeAsync(4, null, rateLimit.Hold, clock.GetUtcNow(), default));
        Assert.Equal(4, app.WhatsApp.Sends.Count);

        // ...and at a window and the margin the burst's permits are back: the fifth send goes.
        clock.Advance(TimeSpan.FromTicks(1));
        await app.WhatsApp.WaitForSendsAsync(5);
        Assert.Equal(["burst 0", "burst 1", "burst 2", "burst 3", "burst 4"], app.WhatsApp.Sends.Select(s => s.Message));
        Assert.Equal(0, app.WhatsApp.RateLimited);
    }

    [Fact]
    public async Task Look_ups_take_at_most_their_share_of_the_rate_limit_and_sends_the_rest()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var window = TimeSpan.FromMinutes(10);
        await using var app = await AdminApp.StartAsync(a =>
        {
            RateLimit(clock, 8, window)(a);
            a.Settings["WhatsApp:RateLimitLookupShare"] = "0.25"; // look-ups may hold 2 of the 8
        });
        await app.LinkAsync();

        // Two look-ups go; a third waits for the window, although six permits are free (each asks TalkNTalk again,
        // rather than the phones read within 30 s).
        Assert.Equal(HttpStatusCode.OK, (await app.Api().GetAsync("/admin/api/phones?refresh=true")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Api().GetAsync("/admin/api/phones?refresh=true")).StatusCode);
        var third = app.Api().GetAsync("/admin/api/phones?refresh=true");

        // The six permits left go to sends; the seventh send waits.
        for (var i = 0; i < 7; i++)
        {
            await app.SlashCommandAsync($"burst {i}");
        }

        await app.WhatsApp.WaitForSendsAsync(6);
        await app.WaitForLogAsync(line => line.Contains("[6001]"));
        Assert.Equal(6, app.WhatsApp.Sends.Count);
        Assert.False(third.IsCompleted);

        clock.Advance(window * 1.05);
        await app.WhatsApp.WaitForSendsAsync(7);
        Assert.Equal(HttpStatusCode.OK, (await third).StatusCode);
        Assert.Equal(0, app.WhatsApp.RateLimited);
    }

    /// <summary>Bridge on <paramref name="clock"/> with a rate limit that binds, logging when a send waits for it (6001).</summary>
    private static Action<BridgeApp> RateLimit(FakeTimeProvider clock, int permits, TimeSpan window) => a =>
    {
        a.Time = clock;
        a.Settings["WhatsApp:RateLimitPermits"] = permits.ToString();
        a.Settings["WhatsApp:RateLimitWindow"] = window.ToString("c");
        a.Settings["Logging:LogLevel:Bridge.WhatsApp"] = "Debug";
    };

    private static async Task<SlackPost> ThreadReplyAsync(BridgeApp app)
    {
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null));
        return app.Slack.Posts.Single(p => p.ThreadTs is not null);
    }
}
