using System.Net;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Bridge.Teams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;

namespace Bridge.Tests.Teams;

/// <summary>The bot's own token comes from MSAL, against the fake Entra token endpoint over TLS.</summary>
public sealed class TeamsCredentialTests
{
    [Fact]
    public async Task A_single_tenant_bot_gets_its_token_from_its_tenant_with_the_client_secret()
    {
        await using var teams = await TeamsBridge.StartAsync(a => a.Settings["Teams:TenantId"] = FakeEntraTenant.TenantId);

        await teams.PostAsync(teams.Mention("help"));

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Equal("Bearer " + teams.Entra.IssuedToken(1), teams.BotFramework.Posts[0].Authorization);
        var request = Assert.Single(teams.Entra.TokenRequests);
        Assert.Equal(FakeEntraTenant.TenantId, request.Tenant);
        Assert.Equal(("client_credentials", FakeBotFramework.AppId, FakeBotFramework.AppPassword, "https://api.botframework.com/.default"),
            (request.Form["grant_type"], request.Form["client_id"], request.Form["client_secret"], request.Form["scope"]));
        Assert.False(request.Form.ContainsKey("client_assertion"));
    }

    [Theory]
    [InlineData("pfx")]
    [InlineData("pem")]
    public async Task A_certificate_file_signs_the_client_assertion_and_no_secret_is_sent(string format)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bridge-bot-{Guid.NewGuid():N}.{format}");
        const string password = "test-pfx-password";
        await using var teams = await WithCertificateFileAsync(path, format == "pfx" ? password : null);
        try
        {
            var certificate = teams.Entra.ClientCertificate;
            if (format == "pfx")
            {
                await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, password));
            }
            else
            {
                // The certificate and its unencrypted key in one file, as `cat bot.crt bot.key > bot.pem` makes it.
                await File.WriteAllTextAsync(path, certificate.ExportCertificatePem() + "\n" + certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
            }

            await teams.PostAsync(teams.Mention("help"));

            await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
            Assert.Equal("Bearer " + teams.Entra.IssuedToken(1), teams.BotFramework.Posts[0].Authorization);
            var request = Assert.Single(teams.Entra.TokenRequests);
            Assert.Equal(FakeEntraTenant.TenantId, request.Tenant);
            Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", request.Form["client_assertion_type"]);
            Assert.True(request.AssertionValid);
            Assert.False(request.Form.ContainsKey("client_secret"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_wrong_pfx_password_stops_start_up_naming_the_keys_and_not_the_password()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bridge-bot-{Guid.NewGuid():N}.pfx");
        const string wrong = "wrong-pfx-password-4711";
        await using var teams = await WithCertificateFileAsync(path, wrong);
        try
        {
            await File.WriteAllBytesAsync(path, teams.Entra.ClientCertificate.Export(X509ContentType.Pfx, "right-pfx-password"));

            var exception = Assert.ThrowsAny<Exception>(() => teams.App.CreateClient());

            Assert.Contains("Teams:CertificatePath could not be opened with Teams:CertificatePassword", exception.ToString());
            Assert.DoesNotContain(wrong, exception.ToString());
            Assert.Empty(teams.Entra.TokenRequests);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_managed_identity_is_asked_for_the_Bot_Connector_scope_and_its_token_is_used_on_replies()
    {
        var credential = new Mock<TokenCredential>();
        credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("bot-token-managed", DateTimeOffset.UtcNow.AddHours(1)));
        await using var teams = await TeamsBridge.StartAsync(a =>
        {
            a.Settings.Remove("Teams:AppPassword");
            a.Settings["Teams:TenantId"] = FakeEntraTenant.TenantId;
            a.Settings["Teams:ManagedIdentityClientId"] = "6c1e3a5f-7b9d-4f2a-8c4e-0a2b4d6f8a1c";
            a.TestServices.Add(services => services.Replace(ServiceDescriptor.Singleton(credential.Object)));
        });

        await teams.PostAsync(teams.Mention("help"));

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Equal("Bearer bot-token-managed", teams.BotFramework.Posts[0].Authorization);
        credential.Verify(c => c.GetTokenAsync(
            It.Is<TokenRequestContext>(context => context.Scopes.SequenceEqual(new[] { "https://api.botframework.com/.default" })),
            It.IsAny<CancellationToken>()));
        Assert.Empty(teams.Entra.TokenRequests);
    }

    [Theory]
    [InlineData(null, "botframework.com")]
    [InlineData("custom-authority", "custom-authority")]
    public async Task A_legacy_bot_gets_its_token_from_the_Bot_Framework_tenant_unless_Teams_TokenEndpoint_says_otherwise(string? endpointTenant, string expected)
    {
        await using var teams = await TeamsBridge.StartAsync();
        if (endpointTenant is not null)
        {
            teams.App.Settings["Teams:TokenEndpoint"] = teams.Entra.TokenEndpoint(endpointTenant);
        }

        await teams.PostAsync(teams.Mention("help"));

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Equal(expected, Assert.Single(teams.Entra.TokenRequests).Tenant);
    }

    [Fact]
    public async Task A_refused_token_is_replaced_once_however_many_replies_ask_at_once()
    {
        await using var teams = await TeamsBridge.StartAsync();
        var tokens = teams.App.Services.GetRequiredService<TeamsTokenProvider>();
        var first = await tokens.GetTokenAsync(default);

        tokens.Invalidate(first);
        var next = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => tokens.GetTokenAsync(default)));

        Assert.Equal(teams.Entra.IssuedToken(1), first);
        Assert.All(next, token => Assert.Equal(teams.Entra.IssuedToken(2), token));
        Assert.Equal(2, teams.Entra.TokenRequests.Count);
    }

    public static TheoryData<string, string> BadSettings => new()
    {
        { "certificate without tenant", "Teams:TenantId is missing" },
        { "managed identity without tenant", "Teams:TenantId is missing" },
        { "secret and thumbprint", "more than one credential (Teams:AppPassword, Teams:CertificateThumbprint)" },
        { "missing certificate file", "Teams:CertificatePath names a file that does not exist" },
        { "plain http token endpoint", "Teams:TokenEndpoint must be https" },
        { "token endpoint without token path", "Teams:TokenEndpoint must be https" },
        { "unknown thumbprint", "Teams:CertificateThumbprint names no certificate with its private key" },
        { "tenant domain", "Teams:TenantId must be the Directory (tenant) ID, a GUID, not a domain name." },
        { "service host URL", "Teams:AllowedServiceHosts must list host names" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Bad_credential_settings_stop_start_up_naming_the_key(string problem, string expected)
    {
        await using var teams = await TeamsBridge.StartAsync(a =>
        {
            var settings = a.Settings;
            switch (problem)
            {
                case "certificate without tenant":
                    settings.Remove("Teams:AppPassword");
                    settings["Teams:CertificateThumbprint"] = "0123456789ABCDEF0123456789ABCDEF01234567";
                    break;
                case "managed identity without tenant":
                    settings.Remove("Teams:AppPassword");
                    settings["Teams:ManagedIdentityClientId"] = "6c1e3a5f-7b9d-4f2a-8c4e-0a2b4d6f8a1c";
                    break;
                case "secret and thumbprint":
                    settings["Teams:CertificateThumbprint"] = "0123456789ABCDEF0123456789ABCDEF01234567";
                    break;
                case "missing certificate file":
                    settings.Remove("Teams:AppPassword");
                    settings["Teams:TenantId"] = FakeEntraTenant.TenantId;
                    settings["Teams:CertificatePath"] = "/nonexistent/bridge-bot.pfx";
                    break;
                case "unknown thumbprint":
                    // Reads the user's store only; no certificate has this thumbprint.
                    settings.Remove("Teams:AppPassword");
                    settings["Teams:TenantId"] = FakeEntraTenant.TenantId;
                    settings["Teams:CertificateThumbprint"] = "00112233445566778899AABBCCDDEEFF00112233";
                    break;
                case "tenant domain":
                    settings["Teams:TenantId"] = "contoso.onmicrosoft.com";
                    break;
                case "service host URL":
                    settings["Teams:AllowedServiceHosts:1"] = "https://smba.example.com/";
                    break;
                case "plain http token endpoint":
                    settings["Teams:TokenEndpoint"] = "http://127.0.0.1:1/botframework.com/oauth2/v2.0/token";
                    break;
                default:
                    settings["Teams:TokenEndpoint"] = "https://login.example.com/token";
                    break;
            }
        });

        var exception = Assert.ThrowsAny<Exception>(() => teams.App.CreateClient());

        Assert.Contains(expected, exception.ToString());
    }

    [Fact]
    public async Task A_managed_identity_with_a_tenant_is_a_complete_configuration()
    {
        await using var teams = await TeamsBridge.StartAsync(a =>
        {
            a.Settings.Remove("Teams:AppPassword");
            a.Settings["Teams:TenantId"] = FakeEntraTenant.TenantId;
            a.Settings["Teams:ManagedIdentityClientId"] = "6c1e3a5f-7b9d-4f2a-8c4e-0a2b4d6f8a1c";
        });

        // Configured: the token is checked (401 for a missing one), not 503 for a Teams that is not set up.
        var response = await teams.PostAsync(teams.Mention("help"), "");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>A single-tenant bot whose credential is the certificate file at <paramref name="path"/>, written by the test.</summary>
    private static Task<TeamsBridge> WithCertificateFileAsync(string path, string? password) =>
        TeamsBridge.StartAsync(a =>
        {
            a.Settings.Remove("Teams:AppPassword");
            a.Settings["Teams:TenantId"] = FakeEntraTenant.TenantId;
            a.Settings["Teams:CertificatePath"] = path;
            if (password is not null)
            {
                a.Settings["Teams:CertificatePassword"] = password;
            }
        });
}
