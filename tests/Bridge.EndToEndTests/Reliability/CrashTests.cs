using Bridge.Tests.Infrastructure;

namespace Bridge.EndToEndTests.Reliability;

/// <summary>
/// Bridge killed with SIGKILL at each point of a delivery, or stopped with SIGTERM, then started again on the same data:
/// every accepted message is delivered or reported in its thread, and the only possible duplicate is one reported as such.
/// </summary>
public sealed class CrashTests : IAsyncLifetime
{
    private const int Commands = 6;
    private FakeTalkNTalk _whatsApp = null!;
    private FakeSlackApi _slack = null!;
    private Dictionary<string, string?> _settings = null!;

    public async Task InitializeAsync()
    {
        _whatsApp = await FakeTalkNTalk.StartAsync();
        _slack = await FakeSlackApi.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");
        _settings = BridgeApp.DefaultSettings(_whatsApp, _slack, database);
    }

    [Fact]
    public async Task Killed_before_sending_everything_is_delivered_or_reported_after_the_restart_and_nothing_is_sent_twice()
    {
        // WhatsApp takes nothing in the first run, so no message can have been delivered before the kill.
        _whatsApp.SendBehavior = _ => new FakeAnswer(503);
        _settings["WhatsApp:MaxSendAttempts"] = "50";
        await using (var first = await StartLinkedAsync())
        {
            await AcceptCommandsAsync(first);
            await first.KillAsync();
        }

        _whatsApp.SendBehavior = null;
        await using var second = await ServiceProcess.StartBridgeAsync(_settings);

        await _slack.WaitForPostsAsync(_ => Outcomes().Count == Commands, TimeSpan.FromSeconds(60));
        AssertNoRecordTwice();
        var replies = Outcomes();
        var delivered = _whatsApp.Sends.Where(s => s.Answer == 201).Select(s => s.Message).ToList();
        // A kill can land while a (refused) attempt is in flight: that message is reported as possibly delivered.
        var possiblyDelivered = replies.Count(r => r.Text.Contains("⚠️ Possibly delivered to WhatsApp group Field Team"));
        Assert.Equal(Commands, replies.Count(r => r.Text.Contains("✅ Sent to WhatsApp group Field Team: message_id 3EB0")) + possiblyDelivered);
        Assert.Equal(Commands - possiblyDelivered, delivered.Count);
        Assert.Equal(delivered.Distinct(), delivered);
        Assert.Equal(Texts().Where(delivered.Contains), delivered);
    }

    [Fact]
    public async Task Killed_during_sends_the_interrupted_ones_are_reported_as_possibly_delivered_and_the_rest_sent_once()
    {
        _whatsApp.SendDelay = TimeSpan.FromSeconds(30);
        await using (var first = await StartLinkedAsync())
        {
            await AcceptCommandsAsync(first);
            await _whatsApp.WaitForRequestsAsync(requests => requests.Any(r => r.Method == "POST"));
            await first.KillAsync();
        }

        var inFlight = _whatsApp.Requests.Count(r => r.Method == "POST");
        _whatsApp.SendDelay = TimeSpan.Zero;
        await using var second = await ServiceProcess.StartBridgeAsync(_settings);

        await _slack.WaitForPostsAsync(_ => Outcomes().Count == Commands, TimeSpan.FromSeconds(60));
        AssertNoRecordTwice();
        var replies = Outcomes();
        var unknown = replies.Count(r => r.Text.Contains("⚠️ Possibly delivered to WhatsApp group Field Team: Bridge stopped while this message was being sent"));
        Assert.Equal(inFlight, unknown);
        Assert.Equal(Commands - inFlight, replies.Count(r => r.Text.Contains("✅ Sent")));
        // Nothing is sent twice: the interrupted sends are reported, not repeated.
        Assert.Equal(Commands, _whatsApp.Requests.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task Killed_after_WhatsApp_answered_but_before_the_thread_reply_the_reply_is_posted_and_nothing_resent()
    {
        // Slack refuses thread replies, so Bridge holds them for a durable retry; the record of each channel post is allowed.
        _slack.PostBehavior = post => post.ThreadTs is null ? null : (200, "fatal_error", null);
        _settings["Delivery:MaxReplyAttempts"] = "100";
        await using (var first = await StartLinkedAsync())
        {
            await AcceptCommandsAsync(first);
            // A thread reply is tried only once every job of its message is recorded as delivered.
            await _slack.WaitForRefusedAsync(refused => refused.Select(r => r.ThreadTs).Distinct().Count() == Commands, TimeSpan.FromSeconds(60));
            await first.KillAsync();
        }

        Assert.Empty(Replies(_slack.Posts));
        _slack.PostBehavior = null;
        await using var second = await ServiceProcess.StartBridgeAsync(_settings);

        await _slack.WaitForPostsAsync(_ => Outcomes().Count == Commands, TimeSpan.FromSeconds(60));
        AssertNoRecordTwice();
        Assert.All(Outcomes(), r => Assert.Contains("✅ Sent", r.Text));
        Assert.Equal(Commands, _whatsApp.Requests.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task Killed_while_jobs_wait_for_the_rate_limit_those_jobs_are_sent_after_the_restart_not_reported()
    {
        await using (var first = await StartWithABacklogAsync())
        {
            await first.KillAsync();
        }

        await AssertAllSentOnceAfterARestartAsync();
    }

    [Fact]
    public async Task SIGTERM_with_a_backlog_ends_within_20_s_and_the_unsent_jobs_are_sent_after_the_next_start()
    {
        await using (var first = await StartWithABacklogAsync())
        {
            var exitCode = await first.TerminateAsync(TimeSpan.FromSeconds(20));
            Assert.True(exitCode == 0, first.ExitReport ?? "Bridge was still running 20 s after SIGTERM.");
        }

        Assert.Single(_whatsApp.Requests, r => r.Method == "POST");
        await AssertAllSentOnceAfterARestartAsync();
    }

    /// <summary>
    /// Bridge with one permit per hour: the first message is sent and its outcome replied, and the next one waits for
    /// a permit of Bridge's own rate limiter, with the others behind it.
    /// </summary>
    private async Task<ServiceProcess> StartWithABacklogAsync()
    {
        _settings["WhatsApp:RateLimitPermits"] = "1";
        _settings["WhatsApp:RateLimitWindow"] = "01:00:00";
        _settings["Logging:LogLevel:Bridge.WhatsApp"] = "Debug";
        var bridge = await StartLinkedAsync();
        try
        {
            await AcceptCommandsAsync(bridge);
            await bridge.WaitForOutputAsync(line => line.Contains("ReplyPoster[2102]"), TimeSpan.FromSeconds(60));
            await bridge.WaitForOutputAsync(line => line.Contains("TalkNTalkRateLimit[6001]"), TimeSpan.FromSeconds(60));
            return bridge;
        }
        catch
        {
            await bridge.DisposeAsync();
            throw;
        }
    }

    /// <summary>Started again with the usual limit: every message is sent once, in order, and none is reported as possibly delivered.</summary>
    private async Task AssertAllSentOnceAfterARestartAsync()
    {
        _settings["WhatsApp:RateLimitPermits"] = "300";
        _settings["WhatsApp:RateLimitWindow"] = "00:01:00";
        await using var second = await ServiceProcess.StartBridgeAsync(_settings);

        await _slack.WaitForPostsAsync(_ => Outcomes().Count == Commands, TimeSpan.FromSeconds(60));
        AssertNoRecordTwice();
        Assert.All(Outcomes(), r => Assert.Contains("✅ Sent to WhatsApp group Field Team", r.Text));
        Assert.Equal(Texts(), _whatsApp.Sends.Select(s => s.Message));
    }

    private async Task<ServiceProcess> StartLinkedAsync()
    {
        await FieldTeamLink.AddAsync(_settings["Storage:LiteDbPath"]!);
        return await ServiceProcess.StartBridgeAsync(_settings);
    }

    private async Task AcceptCommandsAsync(ServiceProcess bridge)
    {
        using var http = bridge.CreateClient();
        foreach (var text in Texts())
        {
            var response = await http.SendAsync(SlackRequests.Signed("slack/commands", SlackRequests.SlashCommandBody(text, responseUrl: _slack.ResponseUrl())));
            Assert.Contains("Sending to WhatsApp group Field Team", await response.Content.ReadAsStringAsync());
        }
    }

    private static IEnumerable<string> Texts() => Enumerable.Range(0, Commands).Select(i => $"crash test {i}");

    private static List<SlackPost> Replies(IReadOnlyList<SlackPost> posts) => posts.Where(p => p.ThreadTs is not null).ToList();

    /// <summary>
    /// Every outcome told: in the record's thread or, for a record whose post the kill left unanswered (never posted
    /// again), through response_url.
    /// </summary>
    private List<(string Text, string Where)> Outcomes() =>
        [
            .. Replies(_slack.Posts).Select(p => (p.Text, "thread")),
            .. _slack.Responses.Where(r => r.Text.StartsWith('✅') || r.Text.StartsWith("⚠️", StringComparison.Ordinal)).Select(r => (r.Text, "response_url")),
        ];

    /// <summary>At most one visible record per command, whatever the kill interrupted.</summary>
    private void AssertNoRecordTwice()
    {
        var records = _slack.Posts.Where(p => p.ThreadTs is null).Select(p => p.Text).ToList();
        Assert.Equal(records.Distinct(), records);
    }

    public async Task DisposeAsync()
    {
        await _whatsApp.DisposeAsync();
        await _slack.DisposeAsync();
    }
}
