namespace Bridge.Forwarding;

/// <summary>
/// Admin page sessions ended by signing out. The sign-in cookie carries the session's id; a revoked id is refused on
/// every replica until the cookie would have expired anyway. Each call is atomic.
/// </summary>
internal interface IAdminSessionStore
{
    /// <summary>Records that the session has ended; the record is kept until <paramref name="expiresAt"/>.</summary>
    Task RevokeAdminSessionAsync(string id, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>True when the session was revoked and its record has not been purged.</summary>
    Task<bool> IsAdminSessionRevokedAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes the records of sessions that expired at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeAdminSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
