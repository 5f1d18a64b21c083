using System.Net;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests;

public sealed class OperationsTests
{
    [Fact]
    public async Task Health_readiness_and_metrics_are_served()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        await app.SlashCommandAsync("Hello team!");
        await app.WhatsApp.WaitForSendsAsync(1);
        using var http = app.CreateClient();

        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        Assert.Equal("ready", await http.GetStringAsync("/readyz"));
        // prometheus-net starts listening to .NET meters at its first export (prometheus-net#487).
        await http.GetStringAsync("/metrics");
        await app.SlashCommandAsync("Hello again!");
        // The thread reply comes after the send was counted.
        await app.Slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) == 2);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("bridge_forwards_accepted", metrics);
        Assert.Contains("bridge_sends", metrics);
    }

    [Fact]
    public async Task Without_any_credentials_Bridge_starts_and_reports_what_is_missing()
    {
        await using var app = await BridgeApp.StartAsync(a =>
        {
            foreach (var key in new[] { "Slack:SigningSecret", "Slack:BotToken", "WhatsApp:ApiKey", "WhatsApp:SessionId" })
            {
                a.Settings[key] = "";
            }
        });

        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/healthz")).StatusCode);
        lock (app.Logs)
        {
            Assert.Contains(app.Logs, l => l.Contains("Slack: not configured (missing Slack:SigningSecret, Slack:BotToken)"));
            Assert.Contains(app.Logs, l => l.Contains("WhatsApp: not configured (missing WhatsApp:ApiKey, WhatsApp:SessionId)"));
        }
    }
}
