using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.FakeTalkNTalk;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Bench.Hosting;

/// <summary>
/// The Bot Framework on 127.0.0.1, as much as Bridge needs for Teams: OpenID metadata and a JWKS whose RSA key is
/// endorsed for msteams (made here, per run), a client-credentials token endpoint (over TLS, since MSAL insists on
/// https, with a certificate made per run that only the bench's Bridge process trusts), and a Bot Connector that answers
/// replies with 201 and records when each arrived. Inbound tokens are minted with that key, the way the Connector
/// signs them (issuer api.botframework.com, audience the app id, <c>serviceurl</c> claim).
/// </summary>
internal sealed class BenchBotFramework : IAsyncDisposable
{
    public const string AppId = "6b0e2d4f-8a1c-4e3b-9d5f-7c2a4e6b8d0f";
    public const string TenantId = "7d3f5a2b-9c1e-4f8a-b6d2-1e0c9a8b7f65";
    public const string Issuer = "https://api.botframework.com";

    // A throwaway password per run: the bench never prints it.
    private readonly string _appPassword = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly RsaSecurityKey _signingKey = new(RSA.Create(2048)) { KeyId = "bench-k1" };
    private readonly ConcurrentQueue<ThreadReply> _posts = new();
    private readonly X509Certificate2 _tlsCertificate = TestCertificate.Create("CN=127.0.0.1", forLoopbackServer: true);
    private readonly string _trustedCertificates = Path.Combine(Path.GetTempPath(), $"bridge-bench-{Guid.NewGuid():N}.pem");
    private LoopbackServer _server = null!;
    private LoopbackServer _tokenServer = null!;
    private int _tokens;

    public string MetadataUrl => new Uri(_server.BaseUrl, "openid/.well-known/openidconfiguration").ToString();
    public string TokenEndpoint => new Uri(_tokenServer.BaseUrl, "botframework.com/oauth2/v2.0/token").ToString();
    /// <summary>The activities' serviceUrl, with the trailing slash Teams sends.</summary>
    public string ServiceUrl => new Uri(_server.BaseUrl, $"emea/{TenantId}/").ToString();
    /// <summary>Activities Bridge posted to the Connector, with their arrival time.</summary>
    public IReadOnlyList<ThreadReply> Posts => _posts.ToArray();

    public static async Task<BenchBotFramework> StartAsync()
    {
        var fake = new BenchBotFramework();
        fake._server = await LoopbackServer.StartAsync(fake.Map);
        fake._tokenServer = await LoopbackServer.StartAsync(fake.MapToken, certificate: fake._tlsCertificate);
        await File.WriteAllTextAsync(fake._trustedCertificates, fake._tlsCertificate.ExportCertificatePem());
        return fake;
    }

    /// <summary>The settings that point Bridge's Teams adapter at this fake.</summary>
    public Dictionary<string, string> BridgeSettings() => new()
    {
        ["Teams__AppId"] = AppId,
        ["Teams__AppPassword"] = _appPassword,
        ["Teams__OpenIdMetadataUrl"] = MetadataUrl,
        ["Teams__TokenEndpoint"] = TokenEndpoint,
        ["Teams__AllowedServiceHosts__0"] = "127.0.0.1",
        // OpenSSL's trust store for the Bridge process: only the token endpoint's certificate (its other calls are plain http).
        ["SSL_CERT_FILE"] = _trustedCertificates,
    };

    /// <summary>A Connector token for activities carrying <see cref="ServiceUrl"/>, valid for an hour.</summary>
    public string MintToken()
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = AppId,
            Claims = new Dictionary<string, object> { ["serviceurl"] = ServiceUrl },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(_signingKey, SecurityAlgorithms.RsaSha256),
        });
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/openid/.well-known/openidconfiguration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = new Uri(_server.BaseUrl, "openid/keys").ToString(),
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
        }));
        app.MapGet("/openid/keys", () =>
        {
            var parameters = _signingKey.Rsa.ExportParameters(false);
            var jwk = new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = _signingKey.KeyId,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                ["endorsements"] = new JsonArray("msteams"),
            };
            return Results.Text(new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString(), "application/json");
        });
        app.MapPost("/emea/{tenant}/v3/conversations/{conversation}/activities/{replyToId?}", async (HttpContext context) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body);
            if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer bench-bot-token-", StringComparison.Ordinal))
            {
                return Results.Json(new { error = new { code = "Unauthorized" } }, statusCode: StatusCodes.Status401Unauthorized);
            }

            _posts.Enqueue(new ThreadReply(Stopwatch.GetTimestamp(), (string?)body?["text"] ?? ""));
            return Results.Json(new { id = $"1767229999{_posts.Count}" }, statusCode: StatusCodes.Status201Created);
        });
    }

    private void MapToken(WebApplication app)
    {
        app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            return form["client_id"] == AppId && form["client_secret"] == _appPassword
                ? Results.Json(new { token_type = "Bearer", expires_in = 3600, ext_expires_in = 3600, access_token = $"bench-bot-token-{Interlocked.Increment(ref _tokens)}" })
                : Results.Json(new { error = "invalid_client" }, statusCode: StatusCodes.Status401Unauthorized);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _tokenServer.DisposeAsync();
        _tlsCertificate.Dispose();
        File.Delete(_trustedCertificates);
        _signingKey.Rsa.Dispose();
    }
}
