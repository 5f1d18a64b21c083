using System.ComponentModel.DataAnnotations;

namespace Bridge.Storage;

internal sealed class StorageOptions
{
    public const string Section = "Storage";

    [AllowedValues("LiteDb", "LiteDB", "Postgres", "PostgreSQL")]
    public string Provider { get; set; } = "LiteDb";
    [Required]
    public string LiteDbPath { get; set; } = "data/bridge.db";
    /// <summary>An Npgsql connection string; required with PostgreSQL. A secret: never logged.</summary>
    public string? PostgresConnectionString { get; set; }
    /// <summary>The schema of every table and of the migrations' journal (several Bridges may share a database).</summary>
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$", ErrorMessage = "Storage:PostgresSchema must be a lower-case PostgreSQL name: letters, digits and underscores, at most 63.")]
    public string PostgresSchema { get; set; } = "bridge";
    /// <summary>How long finished history is kept; zero keeps it for ever.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    public bool UsesPostgres => Provider is "Postgres" or "PostgreSQL";
}
