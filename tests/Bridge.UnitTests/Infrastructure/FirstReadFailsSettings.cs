using Bridge.Forwarding;
using Bridge.UnitTests.Storage;

namespace Bridge.UnitTests.Infrastructure;

/// <summary>Settings on the in-memory store whose first read throws, as a store that is briefly unreachable would.</summary>
internal sealed class FirstReadFailsSettings : ISettingStore
{
    private readonly InMemoryStore _store = new();
    private bool _failed;

    public int Reads { get; private set; }

    public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken)
    {
        Reads++;
        if (!_failed)
        {
            _failed = true;
            return Task.FromException<string?>(new IOException("The store is not reachable."));
        }

        return _store.GetSettingAsync(key, cancellationToken);
    }

    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken) =>
        _store.SetSettingAsync(key, value, cancellationToken);

    public Task<string> GetOrAddSettingAsync(string key, string value, CancellationToken cancellationToken) =>
        _store.GetOrAddSettingAsync(key, value, cancellationToken);
}
