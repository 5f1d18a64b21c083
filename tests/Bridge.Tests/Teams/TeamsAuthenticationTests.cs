using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using Bridge.Teams;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Tests.Teams;

public sealed class TeamsAuthenticationTests
{
    [Fact]
    public async Task A_valid_token_is_accepted_and_the_command_is_answered_in_the_thread()
    {
        await using var teams = await TeamsBridge.StartAsync();

        var response = await teams.PostAsync(teams.Mention("help"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Contains("@WA Bridge send <text>", teams.BotFramework.Posts[0].Text);
    }

    [Fact]
    public async Task A_token_that_expired_4_minutes_ago_is_accepted_within_the_clock_skew()
    {
        await using var teams = await TeamsBridge.StartAsync();
        var token = BotTokens.Mint(teams.BotFramework.SigningKey, teams.BotFramework.ServiceUrl, expires: DateTime.UtcNow.AddMinutes(-4));

        var response = await teams.PostAsync(teams.Mention("help"), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
    }

    public static TheoryData<string> RefusedTokens => new()
    {
        "wrong audience",
        "wrong issuer",
        "expired 6 minutes ago",
        "unknown key",
        "no serviceurl claim",
        "serviceurl of another endpoint",
        "HS256",
        "alg none",
        "no token",
        "lower-case bearer scheme",
        "garbage",
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task A_bad_token_is_refused_with_401_and_nothing_happens(string problem)
    {
        await using var teams = await TeamsBridge.StartAsync(admin: true);
        await teams.LinkAsync();
        var bot = teams.BotFramework;
        var good = teams.Token();
        var activity = teams.Mention("Truck 12 is in");

        var response = problem switch
        {
            "wrong audience" => await teams.PostAsync(activity, BotTokens.Mint(bot.SigningKey, bot.ServiceUrl, audience: "another-app")),
            "wrong issuer" => await teams.PostAsync(activity, BotTokens.Mint(bot.SigningKey, bot.ServiceUrl, issuer: "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/")),
            "expired 6 minutes ago" => await teams.PostAsync(activity, BotTokens.Mint(bot.SigningKey, bot.ServiceUrl, expires: DateTime.UtcNow.AddMinutes(-6))),
            "unknown key" => await teams.PostAsync(activity, BotTokens.Mint(FakeBotFramework.NewKey("k9"), bot.ServiceUrl)),
            "no serviceurl claim" => await teams.PostAsync(activity, BotTokens.Mint(bot.SigningKey, bot.ServiceUrl, withServiceUrl: false)),
            "serviceurl of another endpoint" => await teams.PostAsync(activity, BotTokens.Mint(bot.SigningKey, "https://smba.trafficmanager.net/amer/")),
            "HS256" => await teams.PostAsync(activity, BotTokens.Mint(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "k1" }, bot.ServiceUrl, algorithm: SecurityAlgorithms.HmacSha256)),
            "alg none" => await teams.PostAsync(activity, BotTokens.Unsigned(bot.ServiceUrl)),
            "no token" => await teams.PostAsync(activity, ""),
            "lower-case bearer scheme" => await teams.PostRawAsync(activity.ToJsonString(), "bearer " + good),
            _ => await teams.PostRawAsync(activity.ToJsonString(), "Bearer not.a.jwt"),
        };

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await teams.AssertNothingDoneAsync();
        Assert.Contains(teams.App.Logs, line => line.Contains("Bridge.Teams.TeamsEndpoints[4101] Teams request refused with 401"));
        Assert.DoesNotContain(teams.App.Logs, line => line.Contains(good) || line.Contains(FakeBotFramework.AppPassword));
    }

    [Fact]
    public async Task A_signing_key_not_endorsed_for_msteams_is_refused_with_403()
    {
        await using var teams = await TeamsBridge.StartAsync();
        var skype = FakeBotFramework.NewKey("k-skype");
        teams.BotFramework.Keys.Add((skype, ["skype", "webchat"]));
        var unendorsed = FakeBotFramework.NewKey("k-bare");
        teams.BotFramework.Keys.Add((unendorsed, null));

        var other = await teams.PostAsync(teams.Mention("help"), BotTokens.Mint(skype, teams.BotFramework.ServiceUrl));
        var bare = await teams.PostAsync(teams.Mention("help"), BotTokens.Mint(unendorsed, teams.BotFramework.ServiceUrl));

        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bare.StatusCode);
        Assert.Empty(teams.BotFramework.Posts);
        Assert.Contains(teams.App.Logs, line => line.Contains("not endorsed for channel 'msteams'"));
    }

    [Theory]
    [InlineData("Bot Framework", "webchat")]
    [InlineData("Bot Framework", "directline")]
    [InlineData("Entra", "webchat")]
    [InlineData("Entra", "")]
    public async Task An_activity_from_another_channel_is_refused_with_403_whatever_the_token(string tokenKind, string channelId)
    {
        await using var teams = await TeamsBridge.StartAsync(a => a.Settings["Teams:TenantId"] = FakeEntraTenant.TenantId);
        await teams.LinkAsync();
        // A key endorsed for that channel too, as the Bot Framework's keys are: only the channel check stands in the way.
        teams.BotFramework.Keys[0] = (teams.BotFramework.SigningKey, ["msteams", "webchat", "directline"]);
        var activity = teams.Mention("Truck 12 is in");
        activity["channelId"] = channelId;
        var token = tokenKind == "Entra"
            ? BotTokens.MintEntra(teams.Entra.SigningKey, teams.Entra.V2Issuer(), FakeEntraTenant.TenantId)
            : teams.Token();

        var response = await teams.PostAsync(activity, token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await teams.AssertNothingDoneAsync();
        Assert.Empty(teams.App.WhatsApp.Sends);
        Assert.Single(teams.App.Logs, line => line.Contains($"Teams request refused with 403: the activity's channelId '{channelId}' is not 'msteams'"));
    }

    [Fact]
    public async Task A_long_channel_id_with_line_breaks_is_logged_on_one_short_line()
    {
        await using var teams = await TeamsBridge.StartAsync();
        var activity = teams.Mention("help");
        activity["channelId"] = "web\nchat\u2028" + new string('x', 5000);

        var response = await teams.PostAsync(activity);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var refusal = Assert.Single(teams.App.Logs, line => line.Contains("Teams request refused with 403"));
        Assert.Contains("web?chat?xxx", refusal);
        Assert.DoesNotContain('\n', refusal.TrimEnd());
        Assert.True(refusal.Length < 400, refusal);
    }

    [Fact]
    public async Task An_unknown_key_makes_Bridge_fetch_the_keys_again_once_and_a_rotated_key_is_then_accepted()
    {
        await using var teams = await TeamsBridge.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await teams.PostAsync(teams.Mention("help"))).StatusCode);
        Assert.Equal(1, teams.BotFramework.KeysRequests);

        var rotated = FakeBotFramework.NewKey("k2");
        teams.BotFramework.Keys.Add((rotated, ["msteams"]));
        var response = await teams.PostAsync(teams.Mention("help"), BotTokens.Mint(rotated, teams.BotFramework.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, teams.BotFramework.KeysRequests);
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 2);
    }

    [Fact]
    public async Task Tokens_signed_with_unknown_keys_trigger_at_most_one_refresh_in_five_minutes()
    {
        await using var teams = await TeamsBridge.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            var response = await teams.PostAsync(teams.Mention("help"), BotTokens.Mint(FakeBotFramework.NewKey("k-unknown" + i), teams.BotFramework.ServiceUrl));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(2, teams.BotFramework.KeysRequests);
    }

    [Fact]
    public async Task An_activity_for_a_serviceUrl_other_than_the_tokens_is_refused()
    {
        await using var teams = await TeamsBridge.StartAsync();
        var activity = teams.Mention("help");
        activity["serviceUrl"] = "https://evil.example.com/";

        var response = await teams.PostAsync(activity);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(teams.Entra.TokenRequests);
    }

    [Fact]
    public async Task Without_Teams_settings_the_endpoint_answers_503()
    {
        await using var app = await Infrastructure.BridgeApp.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent("{}") };
        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Theory]
    [InlineData("Teams:AppPassword")]
    [InlineData("Teams:AppId")]
    public async Task Half_configured_Teams_stops_start_up_naming_the_missing_key(string missing)
    {
        await using var teams = await TeamsBridge.StartAsync(a => a.Settings.Remove(missing));

        var exception = Assert.ThrowsAny<Exception>(() => teams.App.CreateClient());

        Assert.Contains(missing + " is missing", exception.ToString());
    }

    [Fact]
    public void Teams_log_events_use_the_4000_range_only()
    {
        var ids = typeof(TeamsOptions).Assembly.GetTypes()
            .Where(type => type.Namespace == typeof(TeamsOptions).Namespace)
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => method.GetCustomAttribute<LoggerMessageAttribute>()?.EventId)
            .OfType<int>()
            .ToList();

        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.InRange(id, 4000, 4999));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void IdentityModel_keeps_the_endorsements_member_of_a_JWK()
    {
        var key = new JsonWebKey("""{"kty":"RSA","kid":"k1","n":"AQAB","e":"AQAB","endorsements":["msteams","skype"]}""");

        Assert.Equal(["msteams", "skype"], TeamsAuthenticator.Endorsements(key)!.Order());
        Assert.Null(TeamsAuthenticator.Endorsements(new JsonWebKey("""{"kty":"RSA","kid":"k2","n":"AQAB","e":"AQAB"}""")));
    }

    [Fact]
    public async Task A_body_that_is_not_an_activity_is_refused_with_400()
    {
        await using var teams = await TeamsBridge.StartAsync();

        var response = await teams.PostRawAsync("not json", "Bearer " + teams.Token());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(teams.BotFramework.Posts);
    }
}
