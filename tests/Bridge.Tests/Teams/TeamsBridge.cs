using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Storage;
using Bridge.Teams;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Teams;

/// <summary>Bridge with Teams configured against a <see cref="FakeBotFramework"/>; activities are the documented fixtures.</summary>
public sealed class TeamsBridge : IAsyncDisposable
{
    public const string AdminAadId = "5b1e9c7a-2d4f-4a8b-9e3c-7f6a5d4c3b21";
    public const string TenantId = "7d3f5a2b-9c1e-4f8a-b6d2-1e0c9a8b7f65";
    public const string ChannelId = "19:4c6e8a0b2d4f46a8b0c2e4f6a8b0c2d4@thread.tacv2";
    public const string FixtureServiceUrl = "https://smba.trafficmanager.net/emea/7d3f5a2b-9c1e-4f8a-b6d2-1e0c9a8b7f65/";

    private TeamsBridge(BridgeApp app, FakeBotFramework botFramework, FakeEntraTenant entra)
    {
        App = app;
        BotFramework = botFramework;
        Entra = entra;
    }

    public BridgeApp App { get; }
    public FakeBotFramework BotFramework { get; }
    public FakeEntraTenant Entra { get; }

    /// <summary>
    /// A legacy multi-tenant bot with a client secret (no <c>Teams:TenantId</c>) unless <paramref name="configure"/>
    /// says otherwise; its token comes from the fake Entra's botframework.com tenant, its replies go to the fake Connector.
    /// </summary>
    public static async Task<TeamsBridge> StartAsync(Action<BridgeApp>? configure = null, bool admin = false)
    {
        var botFramework = await FakeBotFramework.StartAsync();
        var entra = await FakeEntraTenant.StartAsync();
        var app = await BridgeApp.StartAsync(a =>
        {
            foreach (var (key, value) in BridgeSettings.ForTeams(botFramework, entra))
            {
                a.Settings[key] = value;
            }

            a.TestServices.Add(services => TrustEntra(services, entra));
            if (admin)
            {
                a.Settings["Admin:TeamsUserIds:0"] = AdminAadId;
            }

            configure?.Invoke(a);
        });
        return new TeamsBridge(app, botFramework, entra);
    }

    /// <summary>Makes Bridge's OpenID and token clients trust the fake Entra's certificate, and only that one.</summary>
    public static void TrustEntra(IServiceCollection services, FakeEntraTenant entra)
    {
        foreach (var name in new[] { TeamsAuthenticator.HttpClientName, TeamsTokenProvider.HttpClientName })
        {
            services.AddHttpClient(name).ConfigurePrimaryHttpMessageHandler(entra.TrustingHandler);
        }
    }

    /// <summary>A fixture with its serviceUrl (and the attachment URLs under it) moved to the fake Connector.</summary>
    public JsonObject Activity(string fixture) =>
        JsonNode.Parse(Fixtures.Read(fixture).Replace(FixtureServiceUrl, BotFramework.ServiceUrl))!.AsObject();

    /// <summary>The mention fixture with another command after the bot's mention.</summary>
    public JsonObject Mention(string command, string? id = null)
    {
        var activity = Activity("teams-message-mention.json");
        activity["id"] = id ?? Random.Shared.NextInt64(1767225000000, 1767229999999).ToString();
        activity["text"] = "<at>WA Bridge</at> " + command;
        activity["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "text/html",
            ["content"] = $"<p><span itemtype=\"http://schema.skype.com/Mention\" itemscope=\"\" itemid=\"0\">WA Bridge</span>&nbsp;{System.Net.WebUtility.HtmlEncode(command)}</p>",
        });
        return activity;
    }

    public string Token() => BotTokens.Mint(BotFramework.SigningKey, BotFramework.ServiceUrl);

    public Task<HttpResponseMessage> PostAsync(JsonObject activity, string? token = null) =>
        PostRawAsync(activity.ToJsonString(), token is null ? "Bearer " + Token() : token.Length == 0 ? null : "Bearer " + token);

    public async Task<HttpResponseMessage> PostRawAsync(string body, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await App.CreateClient().SendAsync(request);
    }

    /// <summary>What a refused request leaves behind: nothing stored, nothing posted, no bot token fetched.</summary>
    public async Task AssertNothingDoneAsync()
    {
        Assert.Empty(await App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Empty(BotFramework.Posts);
        Assert.Empty(Entra.TokenRequests);
    }

    internal Task<ChannelLink> LinkAsync(string groupId = "120363410923125768@g.us", string groupName = "Field Team") =>
        App.LinkAsync(ChannelId, groupId, groupName, TenantId, Platform.Teams);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await BotFramework.DisposeAsync();
        await Entra.DisposeAsync();
    }
}
