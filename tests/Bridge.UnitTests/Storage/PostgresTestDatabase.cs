namespace Bridge.UnitTests.Storage;

/// <summary>
/// The PostgreSQL server the tests use: the connection string in <see cref="Variable"/>, which <c>.ci/run</c> sets after
/// starting a throwaway cluster on 127.0.0.1 (<c>.ci/postgres</c>). Without it, the PostgreSQL tests are skipped.
/// </summary>
internal static class PostgresTestDatabase
{
    public const string Variable = "BRIDGE_TEST_POSTGRES";

    public static string? ConnectionString { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static string? SkipReason => ConnectionString is null
        ? $"No PostgreSQL server: set {Variable} to a connection string (.ci/run starts one with .ci/postgres)."
        : null;
}
