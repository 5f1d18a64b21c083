using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.Storage;

public sealed class StorageProviderTests
{
    [Fact]
    public async Task PostgreSQL_without_a_connection_string_stops_start_up_naming_the_key()
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings["Storage:Provider"] = "Postgres");

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Storage:PostgresConnectionString is required when Storage:Provider is Postgres.", error.Message);
    }

    [Fact]
    public async Task A_schema_name_that_is_not_a_plain_identifier_stops_start_up_naming_the_key()
    {
        await using var app = await BridgeApp.StartAsync(a =>
        {
            a.Settings["Storage:Provider"] = "Postgres";
            a.Settings["Storage:PostgresConnectionString"] = "Host=127.0.0.1;Database=bridge";
            a.Settings["Storage:PostgresSchema"] = "bridge; DROP TABLE links";
        });

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Storage:PostgresSchema must be a lower-case PostgreSQL name", error.Message);
    }
}
