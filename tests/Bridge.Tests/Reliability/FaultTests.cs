using System.Net;
using Bridge.Storage;
using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Reliability;

public sealed class FaultTests
{
    [Fact]
    public async Task Under_a_random_mix_of_provider_and_Slack_faults_every_message_ends_delivered_or_reported()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await BridgeApp.StartAsync(a =>
        {
            a.Time = clock; // shared with the fake TalkNTalk: both count the same window
            a.Settings["WhatsApp:Timeout"] = "00:00:00.400";
            a.Settings["WhatsApp:MaxSendAttempts"] = "4";
            a.Settings["WhatsApp:RateLimitPermits"] = "10"; // few enough that the limit binds on this traffic
            a.Settings["WhatsApp:RateLimitWindow"] = "00:00:03";
        });
        // The fake enforces the limit as the provider does (a sliding window, 429 beyond it), over a window a fifth shorter
        // than Bridge's: the clock moves on while a request travels from Bridge's limiter to the fake, and the slack
        // absorbs that on a busy 2-core machine, not a limiter that overshoots.
        app.WhatsApp.RateLimitPerMinute = 10;
        app.WhatsApp.RateLimitWindow = TimeSpan.FromSeconds(2.4);
        await app.LinkAsync();
        await app.LinkAsync(groupId: "120363410923125769@g.us", groupName: "Drivers");
        var random = new Random(42);
        var gate = new Lock();
        int Next(int max)
        {
            lock (gate)
            {
                return random.Next(max);
            }
        }

        app.WhatsApp.SendBehavior = _ => Next(10) switch
        {
            0 => new FakeAnswer(429, RetryAfterSeconds: 1),
            1 => new FakeAnswer(500),
            2 => new FakeAnswer(502),
            3 => new FakeAnswer(503),
            4 => new FakeAnswer(Delay: TimeSpan.FromSeconds(1)),
            5 => new FakeAnswer(DropConnection: true),
            _ => null,
        };
        app.Slack.PostBehavior = _ => Next(10) switch
        {
            0 => (429, "ratelimited", 1),
            1 => (200, "fatal_error", null),
            _ => null,
        };

        const int commands = 20;
        for (var i = 0; i < commands; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.SlashCommandAsync($"fault {i:D2}")).StatusCode);
        }

        // Retries, Retry-After, timeouts, circuit breaks and the rate-limit window all wait on the clock: it moves by
        // steps short beside all of them until every message has its thread reply.
        var replied = app.Slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) == commands, TimeSpan.FromSeconds(120));
        await app.MoveTimeUntilAsync(replied, TimeSpan.FromMilliseconds(25));

        var jobs = await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(Take: 1000), default);
        Assert.Equal(commands * 2, jobs.Count);
        Assert.All(jobs, j => Assert.True(j.IsFinished, $"job {j.Id} is {j.Status}"));
        Assert.All(jobs.Where(j => j.Status != DeliveryStatus.Delivered), j => Assert.False(string.IsNullOrEmpty(j.Error)));
        // Each thread reply accounts for both groups of its message.
        Assert.All(app.Slack.Posts.Where(p => p.ThreadTs is not null), reply =>
        {
            Assert.Contains("Field Team", reply.Text);
            Assert.Contains("Drivers", reply.Text);
        });
        // Nothing was taken twice: a send is repeated only after an answer proving it was not taken.
        var taken = app.WhatsApp.Sends.Where(s => s.Answer is 201 or 502 or -1).GroupBy(s => (s.To, s.Message));
        Assert.All(taken, g => Assert.Single(g));
        Assert.Equal(0, app.WhatsApp.RateLimited);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/healthz")).StatusCode);
    }
}
