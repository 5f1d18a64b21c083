using Bridge.Forwarding;
using Bridge.Storage;

namespace Bridge.UnitTests.Storage;

/// <summary>The contract against LiteDB, each test on its own database file, deleted after.</summary>
public sealed class LiteDbStoreContractTests : StoreContract, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bridge-unit-tests", Guid.NewGuid().ToString("N"));
    private readonly LiteDbStore _store;

    public LiteDbStoreContractTests()
    {
        _store = new LiteDbStore(Path.Combine(_directory, "bridge.db"));
    }

    private protected override ILinkStore Links => _store;
    private protected override IForwardStore Forwards => _store;
    private protected override IMediaStore Media => _store;
    private protected override ISettingStore Settings => _store;
    private protected override IAdminSessionStore Sessions => _store;
    private protected override IScheduleStore Schedules => _store;
    private protected override IApprovalStore Approvals => _store;

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
