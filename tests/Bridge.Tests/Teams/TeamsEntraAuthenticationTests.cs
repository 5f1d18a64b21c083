using System.Net;

namespace Bridge.Tests.Teams;

/// <summary>A single-tenant bot (<c>Teams:TenantId</c> set) gets Entra tokens of its tenant as well as Bot Framework ones.</summary>
public sealed class TeamsEntraAuthenticationTests
{
    private const string AppId = FakeBotFramework.AppId;
    private const string Tenant = FakeEntraTenant.TenantId;

    public static TheoryData<string, string> AcceptedTokens => new()
    {
        { "v1", AppId },
        { "v2", AppId },
        { "v1", "api://" + AppId },
        { "v2", "api://" + AppId },
        { "v1", "api://botid-" + AppId },
        { "v2", "api://botid-" + AppId },
    };

    [Theory]
    [MemberData(nameof(AcceptedTokens))]
    public async Task An_Entra_token_of_the_bots_tenant_is_accepted_in_either_issuer_form_and_each_audience(string issuerForm, string audience)
    {
        await using var teams = await SingleTenantAsync();
        var entra = teams.Entra;
        var token = BotTokens.MintEntra(entra.SigningKey, issuerForm == "v1" ? entra.V1Issuer() : entra.V2Issuer(), Tenant, audience);

        var response = await teams.PostAsync(teams.Mention("help"), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Contains("@WA Bridge send <text>", teams.BotFramework.Posts[0].Text);
        // The reply's token comes from the bot's own tenant.
        Assert.Equal(Tenant, Assert.Single(entra.TokenRequests).Tenant);
    }

    [Fact]
    public async Task A_Bot_Framework_token_still_works_for_a_single_tenant_bot()
    {
        await using var teams = await SingleTenantAsync();

        var response = await teams.PostAsync(teams.Mention("help"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
    }

    [Fact]
    public async Task An_Entra_token_that_expired_4_minutes_ago_is_accepted_within_the_clock_skew()
    {
        await using var teams = await SingleTenantAsync();
        var token = BotTokens.MintEntra(teams.Entra.SigningKey, teams.Entra.V2Issuer(), Tenant, expires: DateTime.UtcNow.AddMinutes(-4));

        var response = await teams.PostAsync(teams.Mention("help"), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string> RefusedTokens => new()
    {
        "another tenant",
        "another tenant's tid",
        "another audience",
        "Entra issuer signed with a Bot Framework key",
        "Bot Framework issuer signed with an Entra key",
        "expired 6 minutes ago",
        "not valid for 10 minutes",
        "no exp",
        "alg none",
        "unknown key",
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task A_bad_Entra_token_is_refused_with_401_and_nothing_happens(string problem)
    {
        await using var teams = await SingleTenantAsync();
        await teams.LinkAsync();
        var entra = teams.Entra;
        var bot = teams.BotFramework;
        var token = problem switch
        {
            "another tenant" => BotTokens.MintEntra(entra.SigningKey, entra.V2Issuer(FakeEntraTenant.OtherTenantId), FakeEntraTenant.OtherTenantId),
            "another tenant's tid" => BotTokens.MintEntra(entra.SigningKey, entra.V1Issuer(), FakeEntraTenant.OtherTenantId),
            "another audience" => BotTokens.MintEntra(entra.SigningKey, entra.V2Issuer(), Tenant, audience: "api://another-app"),
            "Entra issuer signed with a Bot Framework key" => BotTokens.MintEntra(bot.SigningKey, entra.V2Issuer(), Tenant),
            "Bot Framework issuer signed with an Entra key" => BotTokens.Mint(entra.SigningKey, bot.ServiceUrl),
            "expired 6 minutes ago" => BotTokens.MintEntra(entra.SigningKey, entra.V2Issuer(), Tenant, expires: DateTime.UtcNow.AddMinutes(-6)),
            "not valid for 10 minutes" => BotTokens.MintEntra(entra.SigningKey, entra.V2Issuer(), Tenant, notBefore: DateTime.UtcNow.AddMinutes(10), expires: DateTime.UtcNow.AddMinutes(70)),
            "no exp" => BotTokens.MintEntra(entra.SigningKey, entra.V2Issuer(), Tenant, withExpiry: false),
            "alg none" => BotTokens.Unsigned(bot.ServiceUrl, entra.V2Issuer(), Tenant),
            _ => BotTokens.MintEntra(FakeBotFramework.NewKey("e9"), entra.V2Issuer(), Tenant),
        };

        var response = await teams.PostAsync(teams.Mention("Truck 12 is in"), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await teams.AssertNothingDoneAsync();
        var refusal = Assert.Single(teams.App.Logs, line => line.Contains("Bridge.Teams.TeamsEndpoints[4101] Teams request refused with 401"));
        Assert.DoesNotContain(token, refusal);
        Assert.DoesNotContain('\n', refusal.TrimEnd());
    }

    [Fact]
    public async Task Without_a_tenant_id_an_Entra_token_is_refused()
    {
        await using var teams = await TeamsBridge.StartAsync();
        var token = BotTokens.MintEntra(teams.Entra.SigningKey, teams.Entra.V2Issuer(), Tenant);

        var response = await teams.PostAsync(teams.Mention("help"), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, teams.Entra.KeysRequests);
        Assert.Contains(teams.App.Logs, line => line.Contains("set Teams:TenantId to accept Entra tokens"));
    }

    [Fact]
    public async Task An_unknown_Entra_key_makes_Bridge_fetch_the_tenants_keys_again_and_a_rotated_key_is_accepted()
    {
        await using var teams = await SingleTenantAsync();
        var entra = teams.Entra;
        Assert.Equal(HttpStatusCode.OK, (await teams.PostAsync(teams.Mention("help"), BotTokens.MintEntra(entra.SigningKey, entra.V2Issuer(), Tenant))).StatusCode);
        Assert.Equal(1, entra.KeysRequests);

        var rotated = FakeBotFramework.NewKey("e2");
        entra.Keys.Add((rotated, null));
        var response = await teams.PostAsync(teams.Mention("help"), BotTokens.MintEntra(rotated, entra.V1Issuer(), Tenant));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, entra.KeysRequests);
        // The Bot Framework's keys were never needed.
        Assert.Equal(0, teams.BotFramework.KeysRequests);
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 2);
    }

    private static Task<TeamsBridge> SingleTenantAsync() =>
        TeamsBridge.StartAsync(a => a.Settings["Teams:TenantId"] = Tenant);
}
