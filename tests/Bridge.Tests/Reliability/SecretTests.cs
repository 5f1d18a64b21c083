using Bridge.FakeTalkNTalk;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Reliability;

public sealed class SecretTests
{
    [Fact]
    public async Task Secrets_never_appear_in_logs_or_replies_whatever_happens()
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings["WhatsApp:MaxSendAttempts"] = "2");
        app.Link();
        var answers = new List<string>();

        // A tour of the paths that log: sends, refusals, retries, bad signatures, admin commands, Slack failures.
        answers.Add(await (await app.SlashCommandAsync("Hello team!")).Content.ReadAsStringAsync());
        await app.WhatsApp.WaitForSendsAsync(1);
        app.WhatsApp.SendBehavior = send => send.Message == "refused" ? new FakeAnswer(401) : new FakeAnswer(503);
        answers.Add(await (await app.SlashCommandAsync("refused")).Content.ReadAsStringAsync());
        answers.Add(await (await app.SlashCommandAsync("unavailable")).Content.ReadAsStringAsync());
        answers.Add(await (await app.SlashCommandAsync("link Field Team", userId: BridgeApp.AdminUserId)).Content.ReadAsStringAsync());
        answers.Add(await (await app.SlashCommandAsync("status")).Content.ReadAsStringAsync());
        using (var forged = SlackRequests.Signed("/slack/commands", SlackRequests.SlashCommandBody("x"), signature: "v0=00"))
        {
            answers.Add(await (await app.CreateClient().SendAsync(forged)).Content.ReadAsStringAsync());
        }

        app.Slack.PostBehavior = _ => (200, "invalid_auth", null);
        await app.Slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) >= 1);
        await Task.Delay(500);

        string[] secrets = [SlackRequests.SigningSecret, FakeSlackApi.BotToken, app.WhatsApp.ApiKey];
        string[] logs;
        lock (app.Logs)
        {
            logs = [.. app.Logs];
        }

        Assert.NotEmpty(logs);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(answers, answer => answer.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(app.Slack.Posts, post => post.Text.Contains(secret, StringComparison.Ordinal));
        }
    }
}
