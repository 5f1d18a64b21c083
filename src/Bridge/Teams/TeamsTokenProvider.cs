using System.Security.Cryptography;
using Azure.Core;
using Azure.Identity;
using Bridge.Forwarding;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace Bridge.Teams;

/// <summary>
/// The bot's client-credentials token for the Bot Connector, from MSAL with a client secret or a
/// certificate, or from Azure.Identity for a user-assigned managed identity. Both cache the token and fetch a new one
/// before it expires (MSAL: within 5 minutes of expiry).
/// </summary>
internal sealed class TeamsTokenProvider(IOptions<TeamsOptions> options, IMsalHttpClientFactory msalHttp, IServiceProvider services) : IDisposable
{
    public const string HttpClientName = "teams-token";
    public const string Scope = "https://api.botframework.com/.default";
    private const string TokenPath = "/oauth2/v2.0/token";

    private readonly Lazy<IConfidentialClientApplication> _msal = new(() => CreateMsal(options.Value, msalHttp), LazyThreadSafetyMode.PublicationOnly);
    // Resolved only for a managed identity: the TokenCredential registered by AddTeams, which tests replace.
    private readonly Lazy<TokenCredential?> _managedIdentity = new(() =>
        string.IsNullOrWhiteSpace(options.Value.ManagedIdentityClientId) ? null : services.GetRequiredService<TokenCredential>());
    private readonly SemaphoreSlim _lock = new(1, 1);
    // The last token the Connector refused: MSAL's cache is skipped while it would still hand it out.
    private volatile string? _refused;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_managedIdentity.Value is { } managedIdentity)
            {
                return (await managedIdentity.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken)).Token;
            }

            // MSAL does not merge concurrent requests for a token it has not cached yet: one at a time, so that replies
            // racing for the first token, or for the one after a refused token, cause a single request.
            await _lock.WaitAsync(cancellationToken);
            try
            {
                var token = await AcquireAsync(forceRefresh: false, cancellationToken);
                return token == _refused ? await AcquireAsync(forceRefresh: true, cancellationToken) : token;
            }
            finally
            {
                _lock.Release();
            }
        }
        catch (MsalServiceException exception)
        {
            throw new ReplyException(
                $"The Teams token endpoint answered HTTP {exception.StatusCode} ({exception.ErrorCode}); check Teams:AppId, the credential and Teams:TenantId.",
                exception.Headers?.RetryAfter?.Delta);
        }
        catch (Exception exception) when (exception is MsalClientException or AuthenticationFailedException or CredentialUnavailableException or CryptographicException)
        {
            throw new ReplyException($"Bridge could not get its Teams token ({exception.GetType().Name}); check the Teams credential settings.");
        }
    }

    /// <summary>Forgets a token the Connector refused, so the next call asks for a new one.</summary>
    public void Invalidate(string token) => _refused = token;

    public void Dispose() => _lock.Dispose();

    private async Task<string> AcquireAsync(bool forceRefresh, CancellationToken cancellationToken) =>
        (await _msal.Value.AcquireTokenForClient([Scope]).WithForceRefresh(forceRefresh).ExecuteAsync(cancellationToken)).AccessToken;

    /// <summary>The MSAL authority: <c>Teams:TokenEndpoint</c> without <c>/oauth2/v2.0/token</c>.</summary>
    internal static string Authority(TeamsOptions teams) =>
        teams.EffectiveTokenEndpoint.GetLeftPart(UriPartial.Path)[..^TokenPath.Length];

    internal static bool IsTokenEndpoint(Uri url) =>
        url.Scheme == Uri.UriSchemeHttps && url.AbsolutePath.EndsWith(TokenPath, StringComparison.Ordinal) && url.AbsolutePath.Length > TokenPath.Length + 1;

    private static IConfidentialClientApplication CreateMsal(TeamsOptions teams, IMsalHttpClientFactory msalHttp)
    {
        var builder = ConfidentialClientApplicationBuilder.Create(teams.AppId)
            // Instance discovery asks login.microsoftonline.com about the authority's host; the authority is configured, not discovered.
            .WithAuthority(Authority(teams), validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(msalHttp);
        if (!string.IsNullOrWhiteSpace(teams.AppPassword))
        {
            return builder.WithClientSecret(teams.AppPassword).Build();
        }

        // The certificate signs a client_assertion JWT; MSAL sends its x5c so that subject-name/issuer registrations work too.
        return builder.WithCertificate(TeamsCertificate.Load(teams), sendX5C: true).Build();
    }

    /// <summary>The user-assigned managed identity of <c>Teams:ManagedIdentityClientId</c>.</summary>
    internal static TokenCredential CreateManagedIdentity(TeamsOptions teams) =>
        new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(teams.ManagedIdentityClientId!.Trim()));
}
