using Bridge.Forwarding;
using Bridge.Storage;
using Bridge.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Bridge.UnitTests.Storage;

/// <summary>
/// A schema of its own on the test server, so tests running at once never see each other's rows, locks or
/// migrations; dropped, with everything in it, on dispose. Creating a schema costs milliseconds, a database much more.
/// </summary>
internal sealed class PostgresTestSchema : IAsyncDisposable
{
    private readonly List<PostgresStore> _stores = [];

    public string Name { get; } = "t_" + Guid.NewGuid().ToString("N");

    public StorageOptions Options => new()
    {
        Provider = "Postgres",
        PostgresConnectionString = PostgresTestDatabase.ConnectionString,
        PostgresSchema = Name,
    };

    /// <summary>A store on this schema, as one replica would have (its own pool); disposed with the schema.</summary>
    public PostgresStore NewStore()
    {
        var store = PostgresStore.Create(Options, TimeProvider.System, new StoreAvailability());
        _stores.Add(store);
        return store;
    }

    /// <summary>A store on this schema, migrated.</summary>
    public PostgresStore NewMigratedStore()
    {
        var store = NewStore();
        store.Migrate(NullLogger.Instance);
        return store;
    }

    public async Task<long> CountAsync(string table)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.ConnectionString!);
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {Name}.{table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs a statement on this schema behind the stores' backs.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ConnectionString) { SearchPath = Name });
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        await using var dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.ConnectionString!);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {Name} CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}
