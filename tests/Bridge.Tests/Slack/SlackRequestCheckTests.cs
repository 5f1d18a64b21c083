using System.Net;
using System.Text;
using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Slack;

public sealed class SlackRequestCheckTests
{
    [Fact]
    public async Task A_bad_signature_is_refused_with_401_and_nothing_happens()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var body = SlackRequests.SlashCommandBody("Hello team!");
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var response = await app.CreateClient().SendAsync(
            SlackRequests.Signed("/slack/commands", body, timestamp: ts, signature: SlackRequests.Sign(body, ts, "not-the-signing-secret")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertNothingHappenedAsync(app);
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_refused()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = SlackRequests.Sign(SlackRequests.SlashCommandBody("Hello team!"), ts);

        var response = await app.CreateClient().SendAsync(
            SlackRequests.Signed("/slack/commands", SlackRequests.SlashCommandBody("Hello everyone!"), timestamp: ts, signature: signature));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertNothingHappenedAsync(app);
    }

    [Theory]
    // One second outside Slack's five-minute window, on a clock that does not move.
    [InlineData(-301)]
    [InlineData(301)]
    public async Task A_stale_or_future_timestamp_is_refused_even_when_correctly_signed(int offsetSeconds)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Fixtures.Timestamp));
        await using var app = await BridgeApp.StartAsync(a => a.Time = clock);
        await app.LinkAsync();

        var response = await app.CreateClient().SendAsync(SlackRequests.Signed(
            "/slack/commands", SlackRequests.SlashCommandBody("Hello team!"), timestamp: Fixtures.Timestamp + offsetSeconds));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertNothingHappenedAsync(app);
    }

    [Fact]
    public async Task Missing_signature_headers_are_refused()
    {
        await using var app = await BridgeApp.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/slack/commands")
        {
            Content = new StringContent(SlackRequests.SlashCommandBody("Hello"), Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_fixture_slash_command_verifies_with_a_clock_stopped_near_its_timestamp()
    {
        await using var app = await BridgeApp.StartAsync(a => a.Time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Fixtures.Timestamp + 299)));
        var request = SlackRequests.Signed("/slack/commands", Fixtures.Read("slack-slash-command.form"),
            timestamp: Fixtures.Timestamp, signature: "v0=493255181c73e4154f041fa65a89a288aefed38da99f4b3a9c1bcc8bb613e847");

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("not linked", await SlashCommandTests.EphemeralText(response));
    }

    [Fact]
    public async Task A_signed_body_without_the_required_fields_is_a_400_with_the_reason()
    {
        await using var app = await BridgeApp.StartAsync();

        var response = await app.CreateClient().SendAsync(SlackRequests.Signed("/slack/commands", "text=hello&user_id=U1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("missing team_id, channel_id, command", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413_before_it_is_read_whole()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();

        var response = await app.CreateClient().SendAsync(
            SlackRequests.Signed("/slack/commands", SlackRequests.SlashCommandBody(new string('x', 600_000))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertNothingHappenedAsync(app);
    }

    [Fact]
    public async Task Slack_gets_its_answer_within_3_seconds_when_WhatsApp_is_slow_and_the_result_follows()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await BridgeApp.StartAsync(a => a.Time = clock);
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.WhatsApp.BeforeRead = () =>
        {
            reading.TrySetResult();
            return release.Task;
        };

        var command = app.SlashCommandAsync("groups");
        await reading.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // WhatsApp has not answered; Bridge's clock reaches its ack budget, which is under Slack's 3 s.
        clock.Advance(Bridge.Slack.SlackBackgroundWork.AckBudget);
        var response = await command.WaitAsync(TimeSpan.FromSeconds(30));
        release.SetResult();

        Assert.True(Bridge.Slack.SlackBackgroundWork.AckBudget < TimeSpan.FromSeconds(3));
        Assert.Contains("Working on it", await SlashCommandTests.EphemeralText(response));
        await app.Slack.WaitForResponsesAsync(1);
        Assert.Contains("Field Team", Assert.Single(app.Slack.Responses).Text);
    }

    [Fact]
    public async Task Without_Slack_credentials_Slack_requests_are_never_accepted()
    {
        await using var app = await BridgeApp.StartAsync(a =>
        {
            a.Settings["Slack:SigningSecret"] = "";
            a.Settings["Slack:BotToken"] = "";
        });

        var response = await app.SlashCommandAsync("Hello");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Theory]
    [InlineData("Slack:SigningSecret")]
    [InlineData("Slack:BotToken")]
    public async Task A_half_configured_Slack_stops_start_up_naming_the_missing_key(string key)
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings[key] = "");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains($"Slack is half-configured: {key} is missing", error.ToString());
    }

    [Theory]
    [InlineData("WhatsApp:ApiKey")]
    [InlineData("WhatsApp:SessionId")]
    public async Task A_half_configured_WhatsApp_stops_start_up_naming_the_missing_key(string key)
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings[key] = "");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains($"WhatsApp is half-configured: {key} is missing", error.ToString());
    }

    [Theory]
    [InlineData("../groups")]
    [InlineData(" 27821234567 ")]
    public async Task A_WhatsApp_session_id_that_is_not_one_stops_start_up(string sessionId)
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings["WhatsApp:SessionId"] = sessionId);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("WhatsApp:SessionId must be a TalkNTalk phone chat_id", error.ToString());
    }

    private static async Task AssertNothingHappenedAsync(BridgeApp app)
    {
        // A correctly signed command after the refused request: the channel's sends go in order, so once this one is
        // sent, a wrongly accepted request would have been sent before it.
        const string after = "Sent after the refused request";
        await app.SlashCommandAsync(after);
        await app.WhatsApp.WaitForSendsAsync(1);
        Assert.Single(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Equal(after, Assert.Single(app.WhatsApp.Sends).Message);
        Assert.All(app.Slack.PostCalls, p => Assert.Contains(after, p.Text));
    }
}
