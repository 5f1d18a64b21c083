using DbUp.Postgresql;
using Npgsql;

namespace Bridge.Storage.Postgres;

/// <summary>
/// Brings the schema up to date with the scripts in Migrations/, each once, in the order of their names, each in
/// its own transaction with its journal row (DbUp's table schemaversions, in the same schema). DbUp takes no lock
/// (https://github.com/DbUp/DbUp/issues/358), so replicas starting together wait on one session advisory lock per
/// schema: the first runs the scripts, the others then find nothing to run. A migrator that dies releases its lock
/// with its connection.
/// </summary>
internal static class PostgresMigrator
{
    private const string Journal = "schemaversions";

    /// <summary>Runs the scripts not run yet and returns their names; throws when one fails (its transaction rolled back).</summary>
    public static IReadOnlyList<string> Migrate(NpgsqlDataSource dataSource, string schema)
    {
        using var connection = dataSource.OpenConnection();
        // Another replica may be migrating: wait for it, however long its scripts take.
        Execute(connection, "SELECT pg_advisory_lock(hashtextextended($1, 0))", "bridge:migrate:" + schema, timeoutSeconds: 0);
        try
        {
            // The schema name is checked by StorageOptions (a lower-case identifier), so it needs no quoting.
            Execute(connection, $"CREATE SCHEMA IF NOT EXISTS {schema}", null, timeoutSeconds: 30);
            var result = PostgresqlExtensions.PostgresqlDatabase(new PostgresqlConnectionManager(dataSource), schema)
                .JournalToPostgresqlTable(schema, Journal)
                .WithScriptsEmbeddedInAssembly(typeof(PostgresMigrator).Assembly, name => name.StartsWith("Bridge.Storage.Postgres.Migrations.", StringComparison.Ordinal))
                .WithTransactionPerScript()
                // DbUp's $name$ variables would take a PL/pgSQL dollar quote for one.
                .WithVariablesDisabled()
                .LogToNowhere()
                .Build()
                .PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"The migration {result.ErrorScript?.Name} failed: {result.Error?.Message}", result.Error);
            }

            return [.. result.Scripts.Select(s => s.Name)];
        }
        finally
        {
            Execute(connection, "SELECT pg_advisory_unlock(hashtextextended($1, 0))", "bridge:migrate:" + schema, timeoutSeconds: 30);
        }
    }

    private static void Execute(NpgsqlConnection connection, string sql, string? argument, int timeoutSeconds)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        if (argument is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = argument });
        }

        command.ExecuteNonQuery();
    }
}
