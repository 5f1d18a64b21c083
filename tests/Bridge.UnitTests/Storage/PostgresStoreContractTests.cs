using Bridge.Forwarding;
using Bridge.Storage.Postgres;

namespace Bridge.UnitTests.Storage;

/// <summary>The contract against PostgreSQL, each test on a fresh schema its store migrates (so every test runs the migrations too).</summary>
[NeedsPostgres]
public sealed class PostgresStoreContractTests : StoreContract, IAsyncLifetime
{
    private readonly PostgresTestSchema _schema = new();
    private PostgresStore _store = null!;

    private protected override ILinkStore Links => _store;
    private protected override IForwardStore Forwards => _store;
    private protected override IMediaStore Media => _store;
    private protected override ISettingStore Settings => _store;
    private protected override IAdminSessionStore Sessions => _store;
    private protected override IScheduleStore Schedules => _store;
    private protected override IApprovalStore Approvals => _store;

    public Task InitializeAsync()
    {
        _store = _schema.NewMigratedStore();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _schema.DisposeAsync();
}
