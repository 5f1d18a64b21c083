using Bridge.WhatsApp;

namespace Bridge.UnitTests.WhatsApp;

/// <summary>The rate limit on one process's log, shared by its two limiters.</summary>
public sealed class InMemoryRateLimitTests : RateLimitContract
{
    private readonly InMemoryPermitLog _log = new();

    private protected override IPermitLog NewLog() => _log;
}
