using Bridge.Forwarding;
using Npgsql;

namespace Bridge.Storage.Postgres;

/// <summary>Which failures mean the database cannot record right now, as opposed to a call's own error.</summary>
internal static class PostgresErrors
{
    /// <summary>
    /// The failure as a <see cref="StoreUnavailableException"/>, or null when it is not the database's: a lost or
    /// refused connection, a server shutting down, too many connections, a full disk, a read-only server (a standby
    /// after a failover). SQLSTATE codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
    /// </summary>
    public static StoreUnavailableException? Unavailable(Exception exception) => exception switch
    {
        StoreUnavailableException unavailable => unavailable,
        PostgresException { SqlState: "53100" } => new StoreUnavailableException("its database's disk is full", exception),
        PostgresException { SqlState: "25006" } => new StoreUnavailableException("its database is read-only", exception),
        PostgresException { SqlState: var state } when state.StartsWith("08", StringComparison.Ordinal)
            || state is "57P01" or "57P02" or "57P03" or "53300" => Unreachable(exception),
        NpgsqlException { IsTransient: true } => Unreachable(exception),
        _ => null,
    };

    private static StoreUnavailableException Unreachable(Exception exception) => new("its database cannot be reached", exception);
}
