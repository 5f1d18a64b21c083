using Npgsql;

namespace Bridge.EndToEndTests.Reliability;

/// <summary>
/// A database of its own on the PostgreSQL server in BRIDGE_TEST_POSTGRES (.ci/run starts one), made empty for one test
/// and dropped after it, with whatever connections the test's processes left open.
/// </summary>
internal sealed class ThrowawayDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _server;
    private readonly string _name;

    private ThrowawayDatabase(NpgsqlDataSource server, string name, string connectionString)
    {
        _server = server;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <param name="serverConnectionString">A connection string to any database of the server, e.g. <c>postgres</c>.</param>
    public static async Task<ThrowawayDatabase> CreateAsync(string serverConnectionString)
    {
        var name = "bridge_e2e_" + Guid.NewGuid().ToString("N")[..16];
        var server = NpgsqlDataSource.Create(serverConnectionString);
        await using (var create = server.CreateCommand($"CREATE DATABASE {name}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
        return new ThrowawayDatabase(server, name, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // FORCE (PostgreSQL 13+) ends the sessions a killed Bridge left behind.
        await using (var drop = _server.CreateCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await _server.DisposeAsync();
    }
}
