using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Fakes;

/// <summary>
/// Entra ID on https://127.0.0.1 with a test certificate that only clients given <see cref="TrustingHandler"/> or <see cref="ServerCertificatePem"/> trust:
/// any tenant's OpenID metadata and JWKS (keys minted here) and token endpoint, which mints <c>bot-token-N</c> for
/// the bot's client secret or for a client assertion signed by <see cref="ClientCertificate"/>.
/// </summary>
public sealed class FakeEntraTenant : IAsyncDisposable
{
    public const string TenantId = "9e2a4c6d-8f1b-4d3e-a5c7-2b4d6f8a0c1e";
    public const string OtherTenantId = "4f6b8d0a-2c4e-4a6b-8d0f-1a3c5e7b9d2f";

    private readonly X509Certificate2 _serverCertificate = TestCertificate.Create("CN=127.0.0.1", forLoopbackServer: true);
    private readonly ConcurrentQueue<TokenRequest> _tokenRequests = new();
    private LoopbackServer _server = null!;
    private int _tokens;

    private FakeEntraTenant()
    {
        SigningKey = FakeBotFramework.NewKey("e1");
        Keys.Add((SigningKey, null));
    }

    public Uri BaseUrl => _server.BaseUrl;
    public List<(RsaSecurityKey Key, string[]? Endorsements)> Keys { get; } = [];
    public RsaSecurityKey SigningKey { get; }
    /// <summary>The certificate registered on the bot's app, for the certificate credential.</summary>
    public X509Certificate2 ClientCertificate { get; } = TestCertificate.Create("CN=bridge-bot", forLoopbackServer: false);
    public int KeysRequests;

    public IReadOnlyList<TokenRequest> TokenRequests => _tokenRequests.ToArray();
    public string IssuedToken(int number) => $"bot-token-{number}";
    public string V1Issuer(string tenant = TenantId) => $"https://sts.windows.net/{tenant}/";
    public string V2Issuer(string tenant = TenantId) => $"https://login.microsoftonline.com/{tenant}/v2.0";
    public string TokenEndpoint(string tenant) => new Uri(BaseUrl, $"{tenant}/oauth2/v2.0/token").ToString();

    public static async Task<FakeEntraTenant> StartAsync()
    {
        var fake = new FakeEntraTenant();
        fake._server = await LoopbackServer.StartAsync(fake.Map, certificate: fake._serverCertificate);
        return fake;
    }

    /// <summary>The server certificate in PEM, for a trust store (e.g. <c>SSL_CERT_FILE</c> of a Bridge process).</summary>
    public string ServerCertificatePem => _serverCertificate.ExportCertificatePem();

    /// <summary>A handler for in-process clients that trusts this fake's certificate, and only that one.</summary>
    public SocketsHttpHandler TrustingHandler() => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHashString() == _serverCertificate.Thumbprint,
        },
    };

    private void Map(WebApplication app)
    {
        // Entra answers 400 (AADSTS90002) for a tenant it does not know.
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => tenant is TenantId or OtherTenantId
            ? Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = V2Issuer(tenant),
                ["jwks_uri"] = new Uri(BaseUrl, $"{tenant}/discovery/v2.0/keys").ToString(),
                ["token_endpoint"] = TokenEndpoint(tenant),
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            })
            : Results.Json(new { error = "invalid_tenant", error_description = "AADSTS90002: Tenant not found." }, statusCode: 400));
        app.MapGet("/{tenant}/discovery/v2.0/keys", () =>
        {
            Interlocked.Increment(ref KeysRequests);
            return Results.Text(FakeBotFramework.Jwks(Keys), "application/json");
        });
        app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpContext context, string tenant) =>
        {
            var form = (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
            var assertionValid = form.TryGetValue("client_assertion", out var assertion) && await IsValidAssertionAsync(assertion, TokenEndpoint(tenant));
            _tokenRequests.Enqueue(new TokenRequest(tenant, form, assertionValid));
            var secretValid = form.GetValueOrDefault("client_secret") == FakeBotFramework.AppPassword;
            if (form.GetValueOrDefault("client_id") != FakeBotFramework.AppId || !(secretValid || assertionValid))
            {
                return Results.Json(new { error = "invalid_client", error_description = "AADSTS7000215: Invalid client secret provided." }, statusCode: 401);
            }

            return Results.Json(new { token_type = "Bearer", expires_in = 3600, ext_expires_in = 3600, access_token = IssuedToken(Interlocked.Increment(ref _tokens)) });
        });
    }

    /// <summary>A client assertion is a JWT from the app to the token endpoint, signed with the registered certificate.</summary>
    private async Task<bool> IsValidAssertionAsync(string assertion, string audience)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = FakeBotFramework.AppId,
            ValidAudience = audience,
            IssuerSigningKey = new X509SecurityKey(ClientCertificate),
            RequireSignedTokens = true,
        });
        return result.IsValid && ((JsonWebToken)result.SecurityToken).Subject == FakeBotFramework.AppId;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _serverCertificate.Dispose();
        ClientCertificate.Dispose();
    }
}
