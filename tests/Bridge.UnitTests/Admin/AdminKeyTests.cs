using Bridge.Admin;
using Bridge.UnitTests.Infrastructure;
using Bridge.UnitTests.Storage;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.UnitTests.Admin;

public sealed class AdminKeyTests
{
    [Fact]
    public async Task A_store_error_at_the_first_load_is_not_kept_the_next_call_loads_again()
    {
        var settings = new FirstReadFailsSettings();
        var key = new AdminKey(Options.Create(new AdminOptions()), settings, TimeProvider.System, NullLogger<AdminKey>.Instance);

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
        var key = new AdminKey(Options.Create(new AdminOptions()), store, time, NullLogger<AdminKey>.Instance);
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
