using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Teams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bridge.Tests.Admin;

public sealed class SetupApiTests
{
    private static async Task<Dictionary<string, JsonNode>> SetupAsync(BridgeApp app)
    {
        var setup = (await app.Api().GetFromJsonAsync<JsonObject>("/admin/api/setup"))!;
        return setup["integrations"]!.AsArray().ToDictionary(i => (string)i!["name"]!, i => i!);
    }

    [Fact]
    public async Task Configured_and_reachable_integrations_are_ok_and_teams_says_how_to_configure_it()
    {
        await using var app = await AdminApp.StartAsync();

        var checks = await SetupAsync(app);

        Assert.Equal("ok", (string?)checks["Slack"]["state"]);
        Assert.Contains("acme-ops", (string?)checks["Slack"]["summary"]);
        Assert.Equal("ok", (string?)checks["WhatsApp (TalkNTalk)"]["state"]);
        Assert.Contains("Ops phone is open", (string?)checks["WhatsApp (TalkNTalk)"]["summary"]);
        Assert.Equal("not-configured", (string?)checks["Microsoft Teams"]["state"]);
        Assert.Contains("Teams:AppId", (string?)checks["Microsoft Teams"]["fix"]);
        Assert.Equal("ok", (string?)checks["Voice notes and video (ffmpeg)"]["state"]);
        Assert.Contains(app.Slack.Calls, c => c.Method == "auth.test");
    }

    [Fact]
    public async Task Teams_is_checked_by_fetching_its_openid_metadata()
    {
        await using var metadata = await LoopbackServer.StartAsync(web =>
        {
            web.MapGet("/good", () => Results.Json(new { issuer = "https://api.botframework.com", jwks_uri = "https://login.botframework.com/v1/.well-known/keys" }));
            web.MapGet("/bad", () => Results.StatusCode(500));
        });
        foreach (var (path, state) in new[] { ("good", "ok"), ("bad", "unreachable") })
        {
            await using var app = await AdminApp.StartAsync(a =>
            {
                a.Settings["Teams:AppId"] = "00000000-0000-0000-0000-00000000a11d";
                a.Settings["Teams:AppPassword"] = "app-password";
                a.Settings["Teams:OpenIdMetadataUrl"] = new Uri(metadata.BaseUrl, path).ToString();
            });

            var teams = (await SetupAsync(app))["Microsoft Teams"];

            Assert.Equal(state, (string?)teams["state"]);
        }
    }

    [Theory]
    [InlineData("right", FakeEntraTenant.TenantId, "ok", "Bridge got its Teams token")]
    [InlineData("wrong secret", FakeEntraTenant.TenantId, "failing", "Bridge cannot get its Teams token, so replies fail. The Teams token endpoint answered HTTP 401 (invalid_client)")]
    [InlineData("wrong tenant", "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e", "failing", "The tenant's Entra OpenID metadata answered HTTP 400.")]
    public async Task A_single_tenant_bot_is_checked_against_its_tenant_and_by_getting_its_token(string problem, string tenant, string state, string summary)
    {
        const string wrongSecret = "wrong-secret-0815";
        await using var teams = await TeamsBridge.StartAsync(a =>
        {
            a.Settings["Admin:ApiKey"] = AdminApp.Key;
            a.Settings["Teams:TenantId"] = tenant;
            if (problem == "wrong secret")
            {
                a.Settings["Teams:AppPassword"] = wrongSecret;
            }
        });

        var check = (await SetupAsync(teams.App))["Microsoft Teams"];

        Assert.Equal(state, (string?)check["state"]);
        Assert.Contains(summary, (string?)check["summary"]);
        Assert.DoesNotContain(wrongSecret, check.ToJsonString());
        Assert.DoesNotContain(FakeBotFramework.AppPassword, check.ToJsonString());
        Assert.Equal(problem == "wrong tenant" ? 0 : 1, teams.Entra.TokenRequests.Count);
    }

    [Fact]
    public async Task Problems_are_reported_with_what_to_fix()
    {
        await using var app = await AdminApp.StartAsync(a => a.Settings["Slack:BotToken"] = "xoxb-revoked");
        app.WhatsApp.Phones[0] = app.WhatsApp.Phones[0] with { Status = "close" };

        var checks = await SetupAsync(app);

        Assert.Equal("failing", (string?)checks["Slack"]["state"]); // a refused token: red
        Assert.Contains("invalid_auth", (string?)checks["Slack"]["summary"]);
        Assert.Contains("Slack:BotToken", (string?)checks["Slack"]["fix"]);
        Assert.Equal("needs-attention", (string?)checks["WhatsApp (TalkNTalk)"]["state"]);
        Assert.Contains("close", (string?)checks["WhatsApp (TalkNTalk)"]["summary"]);
        Assert.Contains("Reconnect", (string?)checks["WhatsApp (TalkNTalk)"]["fix"]);
    }

    [Fact]
    public async Task Unreachable_and_unconfigured_services_are_told_apart()
    {
        await using var app = await AdminApp.StartAsync(a =>
        {
            a.Settings["Slack:SigningSecret"] = "";
            a.Settings["Slack:BotToken"] = "";
            a.Settings["WhatsApp:ApiKey"] = "wrong-key";
        });

        var checks = await SetupAsync(app);

        Assert.Equal("not-configured", (string?)checks["Slack"]["state"]);
        Assert.Contains("Slack:SigningSecret", (string?)checks["Slack"]["fix"]);
        Assert.Equal("needs-attention", (string?)checks["WhatsApp (TalkNTalk)"]["state"]);
        Assert.Equal("Check WhatsApp:ApiKey.", (string?)checks["WhatsApp (TalkNTalk)"]["fix"]);
        Assert.DoesNotContain("wrong-key", checks["WhatsApp (TalkNTalk)"].ToJsonString());
    }
}
