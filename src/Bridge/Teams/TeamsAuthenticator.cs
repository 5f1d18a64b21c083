using System.Net.Http.Headers;
using System.Text.Json;
using Bridge.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Teams;

/// <summary>
/// Validates the Bot Connector's bearer token (PROTOCOLS.md B1): RS256/384/512 signature by a key from the Bot
/// Framework OpenID metadata, issuer https://api.botframework.com, audience the app id, lifetime with 5 minutes skew.
/// </summary>
internal sealed class TeamsAuthenticator
{
    public const string HttpClientName = "teams-openid";
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly IOptions<TeamsOptions> _options;

    public TeamsAuthenticator(IOptions<TeamsOptions> options, IHttpClientFactory httpClients)
    {
        _options = options;
        var url = options.Value.OpenIdMetadataUrl;
        var documents = new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = !SafeUrl.IsLoopback(url) };
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(url.ToString(), new OpenIdConnectConfigurationRetriever(), documents)
        {
            // Bot Framework: "refresh at least every 24 hours"; the manager adds up to 5% jitter.
            AutomaticRefreshInterval = TimeSpan.FromHours(12),
            RefreshInterval = TimeSpan.FromMinutes(5),
        };
    }

    /// <summary>The caller, or the status and one-line reason of the refusal (never containing the token).</summary>
    public async Task<(TeamsCaller? Caller, int Status, string? Reason)> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        // BotBuilder's JwtTokenExtractor accepts exactly the scheme "Bearer".
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header) || header.Scheme != "Bearer" || string.IsNullOrWhiteSpace(header.Parameter))
        {
            return (null, StatusCodes.Status401Unauthorized, "no Bearer token");
        }

        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _metadata.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return (null, StatusCodes.Status503ServiceUnavailable, "the OpenID metadata could not be fetched");
        }

        var result = await ValidateAsync(header.Parameter, configuration);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Keys rotate at any time: fetch the metadata again once (RequestRefresh is throttled to once per 5 minutes).
            _metadata.RequestRefresh();
            try
            {
                configuration = await _metadata.GetConfigurationAsync(cancellationToken);
            }
            catch (InvalidOperationException)
            {
                return (null, StatusCodes.Status503ServiceUnavailable, "the OpenID metadata could not be fetched");
            }

            result = await ValidateAsync(header.Parameter, configuration);
        }

        if (!result.IsValid)
        {
            return (null, StatusCodes.Status401Unauthorized, Describe(result.Exception));
        }

        var token = (JsonWebToken)result.SecurityToken;
        var keyId = token.SigningKey?.KeyId ?? token.Kid;
        var key = configuration.JsonWebKeySet?.Keys.FirstOrDefault(k => k.Kid == keyId);
        var serviceUrl = token.TryGetPayloadValue<string>("serviceurl", out var claim) ? claim : null;
        return (new TeamsCaller(serviceUrl, key is null ? null : Endorsements(key)), StatusCodes.Status200OK, null);
    }

    private Task<TokenValidationResult> ValidateAsync(string token, OpenIdConnectConfiguration configuration) =>
        _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = BotFrameworkIssuer,
            ValidAudience = _options.Value.AppId,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            // IdentityModel reads the system clock here; tests mint tokens relative to it.
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromMinutes(5),
        });

    /// <summary>The non-standard <c>endorsements</c> member of a Bot Framework JWK, kept by IdentityModel as additional data.</summary>
    internal static IReadOnlySet<string>? Endorsements(JsonWebKey key)
    {
        if (!key.AdditionalData.TryGetValue("endorsements", out var value))
        {
            return null;
        }

        IEnumerable<string?> items = value switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null),
            IEnumerable<object> list => list.Select(o => o?.ToString()),
            _ => [],
        };
        return items.OfType<string>().ToHashSet(StringComparer.Ordinal);
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenNotYetValidException => "the token is not valid yet",
        SecurityTokenNoExpirationException => "the token has no expiry",
        SecurityTokenInvalidAudienceException => "the token is for another audience",
        SecurityTokenInvalidIssuerException => "the token has another issuer",
        SecurityTokenInvalidAlgorithmException => "the token's algorithm is not RS256, RS384 or RS512",
        SecurityTokenSignatureKeyNotFoundException => "the token's signing key is not in the OpenID metadata",
        SecurityTokenInvalidSignatureException => "the token's signature is not valid",
        SecurityTokenMalformedException => "the token is malformed",
        null => "the token is not valid",
        _ => "the token is not valid (" + exception.GetType().Name + ")",
    };
}
