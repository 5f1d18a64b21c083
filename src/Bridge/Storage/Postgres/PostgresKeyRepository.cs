using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Bridge.Storage.Postgres;

/// <summary>
/// The Data Protection key ring in the database every replica shares, so the admin sign-in and form cookies one replica
/// makes open on all of them. Microsoft.AspNetCore.DataProtection.EntityFrameworkCore does the same through EF Core,
/// which Bridge does not use anywhere else: a table and two statements are less than a second data layer.
/// Data Protection calls this synchronously and rarely (at start and when the ring is refreshed, about daily), and
/// keeps its keys in memory in between.
/// </summary>
internal sealed class PostgresKeyRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM data_protection_keys ORDER BY id");
        using var reader = command.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read())
        {
            keys.Add(XElement.Parse(reader.GetString(0)));
        }

        return keys;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = dataSource.CreateCommand("INSERT INTO data_protection_keys (friendly_name, xml) VALUES ($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }

    /// <summary>Where the keys are, for the start-up log.</summary>
    public override string ToString() => "the PostgreSQL table data_protection_keys";
}
