using Bridge.Teams;
using Microsoft.Extensions.Options;

namespace Bridge.UnitTests.Teams;

public sealed class TeamsServiceHostsTests
{
    [Theory]
    [InlineData("https://smba.trafficmanager.net/emea/v3/attachments/1/views/original", true)]
    [InlineData("https://SMBA.trafficmanager.net/amer/", true)]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/teams/", false)]
    [InlineData("https://smba.infra.dod.teams.microsoft.us/", false)]
    [InlineData("https://webchat.botframework.com/", true)]
    [InlineData("https://botframework.com/", false)]
    [InlineData("https://evilbotframework.com/", false)]
    [InlineData("http://smba.trafficmanager.net/emea/", false)]
    [InlineData("https://smba.trafficmanager.net.evil.example/v3/attachments/1", false)]
    [InlineData("https://other.trafficmanager.net/", false)]
    [InlineData("https://eu-api.asm.skype.com/v1/objects/0-weu-d4-9e8d/views/imgo", false)]
    [InlineData("https://graph.microsoft.com/v1.0/teams/x/channels/y/messages/1/hostedContents/z/$value", false)]
    [InlineData("https://tenant.sharepoint.com/personal/file.pdf", false)]
    [InlineData("https://connector.example.com/emea/", true)]
    [InlineData("https://connector.example.com:8443/emea/", true)]
    [InlineData("https://a.connector.example.com/", false)]
    [InlineData("http://127.0.0.1:5000/emea/", false)]
    [InlineData("http://localhost/emea/", false)]
    [InlineData("not a url", false)]
    public void The_bot_token_goes_only_to_the_Bot_Connector_and_configured_hosts(string url, bool allowed) =>
        Assert.Equal(allowed, Hosts("connector.example.com").IsAllowed(url));

    [Theory]
    [InlineData("http://127.0.0.1:5000/emea/", true)]
    [InlineData("https://127.0.0.1/", true)]
    [InlineData("http://[::1]:5000/", false)]
    [InlineData("http://localhost:5000/", false)]
    public void Loopback_is_allowed_only_as_configured(string url, bool allowed) =>
        Assert.Equal(allowed, Hosts("127.0.0.1").IsAllowed(url));

    private static TeamsServiceHosts Hosts(params string[] configured) =>
        new(Options.Create(new TeamsOptions { AllowedServiceHosts = configured }));
}
