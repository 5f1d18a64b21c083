using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Bridge.Fakes;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests;

public sealed class OperationsTests
{
    [Fact]
    public async Task Health_and_readiness_are_served_and_metrics_only_on_the_management_port()
    {
        var metricsPort = FreePort.Next();
        await using var app = await BridgeApp.StartAsync(a => a.Settings["Metrics:Port"] = metricsPort.ToString(CultureInfo.InvariantCulture));
        app.UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            options.Listen(IPAddress.Loopback, metricsPort);
        });
        app.StartServer();
        var service = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Single(a => !a.EndsWith($":{metricsPort}", StringComparison.Ordinal)));
        using var http = new HttpClient { BaseAddress = service };
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}/") };
        await app.LinkAsync();
        await app.SlashCommandAsync("Hello team!");
        await app.WhatsApp.WaitForSendsAsync(1);

        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        Assert.Equal("ready", await http.GetStringAsync("/readyz"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);
        using var named = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Host = $"127.0.0.1:{metricsPort}" } };
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(named)).StatusCode);
        // prometheus-net starts listening to .NET meters at its first export (prometheus-net#487).
        await management.GetStringAsync("/metrics");
        await app.SlashCommandAsync("Hello again!");
        // The thread reply comes after the send was counted.
        await app.Slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) == 2);
        var metrics = await management.GetStringAsync("/metrics");
        Assert.Contains("bridge_forwards_accepted", metrics);
        Assert.Contains("bridge_sends", metrics);
    }

    [Fact]
    public async Task Without_a_management_port_no_address_serves_metrics()
    {
        await using var app = await BridgeApp.StartAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/metrics")).StatusCode);
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
        Assert.Contains(app.Logs, l => l.Contains("Slack: not configured (missing Slack:SigningSecret, Slack:BotToken)"));
        Assert.Contains(app.Logs, l => l.Contains("WhatsApp: not configured (missing WhatsApp:ApiKey, WhatsApp:SessionId)"));
    }
}
