using System.Net;

namespace Bridge.Tests.Teams;

/// <summary>An activity whose serviceUrl is off the allow-list is refused before anything is stored, and no token is sent.</summary>
public sealed class TeamsServiceUrlTests
{
    [Theory]
    [InlineData("Bot Framework", "https://evil.example.com/emea/")]
    [InlineData("Bot Framework", "https://smba.trafficmanager.net.evil.example/emea/")]
    [InlineData("Entra", "https://evil.example.com/emea/")]
    [InlineData("Entra", "https://graph.microsoft.com/")]
    [InlineData("Entra", "http://smba.trafficmanager.net/emea/")]
    public async Task A_serviceUrl_off_the_list_is_refused_with_401_and_nothing_happens(string tokenKind, string serviceUrl)
    {
        await using var teams = await TeamsBridge.StartAsync(a => a.Settings["Teams:TenantId"] = FakeEntraTenant.TenantId);
        await teams.LinkAsync();
        var activity = teams.Mention("Truck 12 is in");
        activity["serviceUrl"] = serviceUrl;
        // A Bot Framework token issued for that very serviceUrl: only the allow-list stands in the way.
        var token = tokenKind == "Entra"
            ? BotTokens.MintEntra(teams.Entra.SigningKey, teams.Entra.V2Issuer(), FakeEntraTenant.TenantId)
            : BotTokens.Mint(teams.BotFramework.SigningKey, serviceUrl);

        var response = await teams.PostAsync(activity, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await teams.AssertNothingDoneAsync();
        Assert.Contains(teams.App.Logs, line => line.Contains("serviceUrl is not a host in Teams:AllowedServiceHosts"));
    }

    [Fact]
    public async Task A_loopback_serviceUrl_is_refused_unless_configured()
    {
        await using var teams = await TeamsBridge.StartAsync(a => a.Settings.Remove("Teams:AllowedServiceHosts:0"));
        await teams.LinkAsync();

        var response = await teams.PostAsync(teams.Mention("Truck 12 is in"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await teams.AssertNothingDoneAsync();
    }
}
