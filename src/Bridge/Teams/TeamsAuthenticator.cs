using System.Net.Http.Headers;
using System.Text.Json;
using Bridge.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Teams;

/// <summary>
/// Validates the bearer token of <c>POST /api/messages</c> as Microsoft's current SDKs do
/// (https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication): a Bot
/// Framework token (issuer https://api.botframework.com, keys from the Bot Framework metadata, audience the app id)
/// or, with <c>Teams:TenantId</c>, an Entra token of the bot's own tenant (either issuer form, keys from the tenant's
/// metadata, audience the app id, <c>api://</c> or <c>api://botid-</c> it). Each issuer is checked only against its
/// own keys, so a key of one can never vouch for the other. RS256/384/512 only, lifetime with 5 minutes of skew.
/// </summary>
internal sealed class TeamsAuthenticator
{
    public const string HttpClientName = "teams-openid";
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenIssuer _botFramework;
    private readonly TokenIssuer? _entra;
    private readonly string? _tenantId;

    public TeamsAuthenticator(IOptions<TeamsOptions> options, IHttpClientFactory httpClients)
    {
        var teams = options.Value;
        var appId = teams.AppId ?? "";
        _botFramework = new TokenIssuer([BotFrameworkIssuer], [appId], Metadata(teams.OpenIdMetadataUrl, httpClients));
        if (teams.HasTenant)
        {
            // Entra writes tenant ids in lower case; the setting may not.
            _tenantId = teams.TenantId!.Trim().ToLowerInvariant();
            _entra = new TokenIssuer(
                // v1 and v2 issuers: https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
                [$"https://sts.windows.net/{_tenantId}/", $"https://login.microsoftonline.com/{_tenantId}/v2.0"],
                // What the Teams SDK accepts: https://github.com/microsoft/teams.net (Microsoft.Teams.Core, Hosting/JwtExtensions.cs)
                [appId, $"api://{appId}", $"api://botid-{appId}"],
                Metadata(teams.EntraOpenIdMetadataUrl, httpClients));
        }
    }

    /// <summary>The caller, or the status and one-line reason of the refusal (never containing the token).</summary>
    public async Task<(TeamsCaller? Caller, int Status, string? Reason)> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        // BotBuilder's JwtTokenExtractor accepts exactly the scheme "Bearer".
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header) || header.Scheme != "Bearer" || string.IsNullOrWhiteSpace(header.Parameter))
        {
            return (null, StatusCodes.Status401Unauthorized, "no Bearer token");
        }

        // The unvalidated issuer only picks whose keys and rules apply; the validation below checks it again.
        string issuer;
        try
        {
            issuer = _handler.ReadJsonWebToken(header.Parameter).Issuer;
        }
        catch (Exception exception) when (exception is ArgumentException or SecurityTokenMalformedException)
        {
            return (null, StatusCodes.Status401Unauthorized, "the token is malformed");
        }

        var trusted = issuer == BotFrameworkIssuer ? _botFramework : _entra?.Issuers.Contains(issuer) == true ? _entra : null;
        if (trusted is null)
        {
            return (null, StatusCodes.Status401Unauthorized, _entra is null
                ? "the token's issuer is not the Bot Framework (set Teams:TenantId to accept Entra tokens of the bot's tenant)"
                : "the token's issuer is neither the Bot Framework nor the bot's tenant");
        }

        OpenIdConnectConfiguration configuration;
        TokenValidationResult result;
        try
        {
            configuration = await trusted.Metadata.GetConfigurationAsync(cancellationToken);
            result = await ValidateAsync(header.Parameter, trusted, configuration);
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                // Keys rotate at any time: fetch the metadata again once (RequestRefresh is throttled to once per 5 minutes).
                trusted.Metadata.RequestRefresh();
                configuration = await trusted.Metadata.GetConfigurationAsync(cancellationToken);
                result = await ValidateAsync(header.Parameter, trusted, configuration);
            }
        }
        catch (InvalidOperationException)
        {
            return (null, StatusCodes.Status503ServiceUnavailable, "the OpenID metadata could not be fetched");
        }

        if (!result.IsValid)
        {
            return (null, StatusCodes.Status401Unauthorized, Describe(result.Exception));
        }

        var token = (JsonWebToken)result.SecurityToken;
        if (trusted == _entra)
        {
            // The issuer names the tenant and so must tid (the Agents SDK's IsTenantIdIssuerValid check).
            var tid = token.TryGetPayloadValue<string>("tid", out var claim) ? claim : null;
            return string.Equals(tid, _tenantId, StringComparison.OrdinalIgnoreCase)
                ? (TeamsCaller.Entra, StatusCodes.Status200OK, null)
                : (null, StatusCodes.Status401Unauthorized, "the token's tid claim is not Teams:TenantId");
        }

        var keyId = token.SigningKey?.KeyId ?? token.Kid;
        var key = configuration.JsonWebKeySet?.Keys.FirstOrDefault(k => k.Kid == keyId);
        var serviceUrl = token.TryGetPayloadValue<string>("serviceurl", out var url) ? url : null;
        return (new TeamsCaller(serviceUrl, key is null ? null : Endorsements(key)), StatusCodes.Status200OK, null);
    }

    private static ConfigurationManager<OpenIdConnectConfiguration> Metadata(Uri url, IHttpClientFactory httpClients)
    {
        var documents = new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = !SafeUrl.IsLoopback(url) };
        return new ConfigurationManager<OpenIdConnectConfiguration>(url.ToString(), new OpenIdConnectConfigurationRetriever(), documents)
        {
            // Bot Framework: "refresh at least every 24 hours"; the manager adds up to 5% jitter.
            AutomaticRefreshInterval = TimeSpan.FromHours(12),
            RefreshInterval = TimeSpan.FromMinutes(5),
        };
    }

    private Task<TokenValidationResult> ValidateAsync(string token, TokenIssuer trusted, OpenIdConnectConfiguration configuration) =>
        _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuers = trusted.Issuers,
            ValidAudiences = trusted.Audiences,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = Algorithms,
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
        SecurityTokenSignatureKeyNotFoundException => "the token's signing key is not in its issuer's OpenID metadata",
        SecurityTokenInvalidSignatureException => "the token's signature is not valid",
        SecurityTokenMalformedException => "the token is malformed",
        null => "the token is not valid",
        _ => "the token is not valid (" + exception.GetType().Name + ")",
    };

    /// <summary>One family of tokens: the issuers it names, the audiences it may have, and where its keys come from.</summary>
    private sealed record TokenIssuer(string[] Issuers, string[] Audiences, ConfigurationManager<OpenIdConnectConfiguration> Metadata);
}
