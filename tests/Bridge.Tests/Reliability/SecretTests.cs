using Bridge.Tests.Infrastructure;
using Bridge.Tests.Teams;

namespace Bridge.Tests.Reliability;

public sealed class SecretTests
{
    [Fact]
    public async Task Secrets_never_appear_in_logs_or_replies_whatever_happens()
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings["WhatsApp:MaxSendAttempts"] = "2");
        await app.LinkAsync();
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
        answers.Add(await (await app.SlashCommandAsync("after Slack broke")).Content.ReadAsStringAsync());
        await app.WaitForLogAsync(line => line.Contains("[1201]", StringComparison.Ordinal)); // a post refused by Slack was logged

        string[] secrets = [SlackRequests.SigningSecret, FakeSlackApi.BotToken, app.WhatsApp.ApiKey];
        var logs = app.Logs;

        Assert.NotEmpty(logs);
        foreach (var secret in secrets.Where(s => s.Length > 0))
        {
            Assert.DoesNotContain(logs, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(answers, answer => answer.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(app.Slack.Posts, post => post.Text.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Teams_secrets_never_appear_in_logs_or_replies_whatever_happens()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var bot = teams.BotFramework;
        var inboundToken = teams.Token();
        var answers = new List<string>();

        // A send (bot token fetched, outcome posted), a reply the Connector refuses (token dropped, a new one minted),
        // and refused inbound tokens: forged, wrongly addressed and garbage.
        answers.Add(await (await teams.PostAsync(teams.Mention("field-team Truck 12 is in"), inboundToken)).Content.ReadAsStringAsync());
        await bot.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith('✅')) && posts.Any(p => p.Text.StartsWith("Sending", StringComparison.Ordinal)));
        var refused = 0;
        bot.PostBehavior = _ => Interlocked.Increment(ref refused) == 1 ? (401, null) : null;
        answers.Add(await (await teams.PostAsync(teams.Mention("status"))).Content.ReadAsStringAsync());
        answers.Add(await (await teams.PostAsync(teams.Mention("help"))).Content.ReadAsStringAsync());
        await bot.WaitForPostsAsync(posts => posts.Count == 3);
        var forged = BotTokens.Mint(FakeBotFramework.NewKey("k1"), bot.ServiceUrl);
        answers.Add(await (await teams.PostAsync(teams.Mention("help"), forged)).Content.ReadAsStringAsync());
        answers.Add(await (await teams.PostAsync(teams.Mention("help"), BotTokens.Mint(bot.SigningKey, bot.ServiceUrl, audience: "another-app"))).Content.ReadAsStringAsync());
        answers.Add(await (await teams.PostRawAsync(teams.Mention("help").ToJsonString(), "Bearer " + FakeBotFramework.AppPassword)).Content.ReadAsStringAsync());
        answers.Add(await (await teams.PostAsync(teams.Activity("teams-submit-action-message.json"), inboundToken)).Content.ReadAsStringAsync());
        await bot.WaitForPostsAsync(posts => posts.Count == 4);

        string[] secrets = [FakeBotFramework.AppPassword, inboundToken, forged, teams.Entra.IssuedToken(1), teams.Entra.IssuedToken(2)];
        var logs = teams.App.Logs;

        Assert.Equal(2, teams.Entra.TokenRequests.Count);
        Assert.Contains(logs, line => line.Contains("Teams request refused with 401"));
        Assert.Contains(logs, line => line.Contains("answered HTTP 401"));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(answers, answer => answer.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(bot.Posts, post => post.Body.ToJsonString().Contains(secret, StringComparison.Ordinal));
        }
    }
}
