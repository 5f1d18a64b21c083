using System.Net.Http.Json;
using System.Text.Json;
using Bridge.Delivery;
using Microsoft.Extensions.Options;

namespace Bridge.Teams;

/// <summary>
/// The bot's client-credentials token for the Bot Connector (PROTOCOLS.md B4), kept until shortly before it expires.
/// </summary>
internal sealed class TeamsTokenProvider(IHttpClientFactory httpClients, IOptions<TeamsOptions> options, TimeProvider time) : IDisposable
{
    public const string HttpClientName = "teams-token";
    public const string Scope = "https://api.botframework.com/.default";

    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _lock = new(1, 1);
    // A reference swapped whole, so a reader without the lock never sees one token with another's expiry.
    private volatile CachedToken? _cached;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && time.GetUtcNow() < fresh.RenewAt)
        {
            return fresh.Token;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } cached && time.GetUtcNow() < cached.RenewAt)
            {
                return cached.Token;
            }

            var teams = options.Value;
            using var form = new FormUrlEncodedContent([
                new("grant_type", "client_credentials"),
                new("client_id", teams.AppId ?? ""),
                new("client_secret", teams.AppPassword ?? ""),
                new("scope", Scope),
            ]);
            using var response = await httpClients.CreateClient(HttpClientName).PostAsync(teams.EffectiveTokenEndpoint, form, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ReplyException($"The Teams token endpoint answered HTTP {(int)response.StatusCode}; check Teams:AppId, Teams:AppPassword and Teams:TenantId.", response.Headers.RetryAfter?.Delta);
            }

            TeamsTokenResponse? body;
            try
            {
                body = await response.Content.ReadFromJsonAsync(TeamsJson.Default.TeamsTokenResponse, cancellationToken);
            }
            catch (JsonException)
            {
                body = null;
            }

            if (string.IsNullOrEmpty(body?.AccessToken))
            {
                throw new ReplyException("The Teams token endpoint answered without an access_token.");
            }

            var lifetime = TimeSpan.FromSeconds(Math.Max(body.ExpiresIn ?? 3600, 60));
            var margin = lifetime > 2 * RenewBefore ? RenewBefore : lifetime / 2;
            _cached = new CachedToken(body.AccessToken, time.GetUtcNow() + lifetime - margin);
            return body.AccessToken;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Forgets a token the Connector refused, so the next call asks for a new one.</summary>
    public void Invalidate(string token)
    {
        if (_cached is { } cached && cached.Token == token)
        {
            // Only if no newer token replaced it meanwhile.
            Interlocked.CompareExchange(ref _cached, null, cached);
        }
    }

    public void Dispose() => _lock.Dispose();

    private sealed record CachedToken(string Token, DateTimeOffset RenewAt);
}
