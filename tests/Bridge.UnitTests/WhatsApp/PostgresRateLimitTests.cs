using Bridge.UnitTests.Storage;
using Bridge.WhatsApp;

namespace Bridge.UnitTests.WhatsApp;

/// <summary>The rate limit on PostgreSQL: each limiter has a store of its own (its own pool), as a replica would.</summary>
[NeedsPostgres]
public sealed class PostgresRateLimitTests : RateLimitContract, IAsyncLifetime
{
    private readonly PostgresTestSchema _schema = new();

    private protected override IPermitLog NewLog() => _schema.NewMigratedStore();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();
}
