using Bridge.Forwarding;

namespace Bridge.UnitTests.Storage;

public sealed class InMemoryStoreContractTests : StoreContract
{
    private readonly InMemoryStore _store = new();

    private protected override ILinkStore Links => _store;
    private protected override IForwardStore Forwards => _store;
    private protected override IMediaStore Media => _store;
    private protected override ISettingStore Settings => _store;
    private protected override IAdminSessionStore Sessions => _store;
    private protected override IScheduleStore Schedules => _store;
    private protected override IApprovalStore Approvals => _store;
}
