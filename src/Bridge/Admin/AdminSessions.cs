using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Bridge.Forwarding;
using Microsoft.Extensions.Options;

namespace Bridge.Admin;

/// <summary>
/// Admin page sessions: each sign-in cookie carries a random session id and its sign-in time. A session ends at
/// <see cref="AdminOptions.SessionLifetime"/> after sign-in, however active (the cookie's own expiry slides), or at
/// sign-out, which is recorded in the store so that a copy of the cookie is refused on every replica.
/// </summary>
internal sealed class AdminSessions(IAdminSessionStore store, IOptions<AdminOptions> options, TimeProvider time)
{
    private const string IdClaim = "bridge:session";
    private const string SignedInAtClaim = "bridge:signed-in-at";

    /// <summary>The claims of a new session.</summary>
    public Claim[] Start() =>
    [
        new(IdClaim, Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16))),
        new(SignedInAtClaim, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>False for a session past its lifetime, signed out, or from a cookie made before sessions were tracked.</summary>
    public async Task<bool> IsActiveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        Read(principal) is { } session
        && time.GetUtcNow() < session.ExpiresAt
        && !await store.IsAdminSessionRevokedAsync(session.Id, cancellationToken);

    /// <summary>Ends the session everywhere, and forgets sessions that have expired since.</summary>
    public async Task EndAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (Read(principal) is { } session)
        {
            await store.RevokeAdminSessionAsync(session.Id, session.ExpiresAt, cancellationToken);
        }

        await store.PurgeAdminSessionsAsync(time.GetUtcNow(), cancellationToken);
    }

    private (string Id, DateTimeOffset ExpiresAt)? Read(ClaimsPrincipal principal) =>
        principal.FindFirst(IdClaim)?.Value is { Length: > 0 } id
        && long.TryParse(principal.FindFirst(SignedInAtClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var signedInAt)
            ? (id, DateTimeOffset.FromUnixTimeSeconds(signedInAt) + options.Value.SessionLifetime)
            : null;
}
