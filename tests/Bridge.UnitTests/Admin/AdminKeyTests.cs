using Bridge.Admin;
using Bridge.Forwarding;
using Bridge.UnitTests.Infrastructure;
using Bridge.UnitTests.Storage;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.UnitTests.Admin;

public sealed class AdminKeyTests : IDisposable
{
    // Where a generated key's file goes (beside the store): a folder of this test's own.
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "bridge-unit-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private AdminKey NewKey(ISettingStore settings, TimeProvider time) =>
        new(Options.Create(new AdminOptions()), settings, time, NullLogger<AdminKey>.Instance, Path.Combine(_folder, AdminKey.KeyFileName));

    [Fact]
    public async Task A_store_error_at_the_first_load_is_not_kept_the_next_call_loads_again()
    {
        var settings = new FirstReadFailsSettings();
        var key = NewKey(settings, TimeProvider.System);

        await Assert.ThrowsAsync<IOException>(key.EnsureLoadedAsync);

        Assert.True(await key.IsGeneratedAsync());
        // Kept once it worked: later calls read the store no more.
        await key.FingerprintAsync();
        Assert.Equal(2, settings.Reads);
        Assert.NotNull(await settings.GetSettingAsync(AdminKey.HashSetting, CancellationToken.None));
    }

    [Fact]
    public async Task A_generated_key_replaced_in_the_store_by_reset_key_takes_over_here_after_the_reread_interval()
    {
        var store = new InMemoryStore();
        var (oldKey, oldHash) = AdminKey.Generate();
        var (newKey, newHash) = AdminKey.Generate();
        await store.SetSettingAsync(AdminKey.HashSetting, oldHash, CancellationToken.None);
        var time = new FakeTimeProvider();
        var key = NewKey(store, time);
        var oldFingerprint = await key.FingerprintAsync();

        // Another process (admin reset-key against the PostgreSQL store) replaces the hash.
        await store.SetSettingAsync(AdminKey.HashSetting, newHash, CancellationToken.None);
        var beforeInterval = (await key.MatchesAsync(oldKey), await key.MatchesAsync(newKey));
        time.Advance(AdminKey.RereadInterval);

        Assert.Equal((true, false), beforeInterval);
        Assert.False(await key.MatchesAsync(oldKey));
        Assert.True(await key.MatchesAsync(newKey));
        Assert.NotEqual(oldFingerprint, await key.FingerprintAsync());
    }
}
