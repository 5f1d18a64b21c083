using Bridge.Admin;
using Bridge.UnitTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.UnitTests.Admin;

public sealed class AdminKeyTests
{
    [Fact]
    public async Task A_store_error_at_the_first_load_is_not_kept_the_next_call_loads_again()
    {
        var settings = new FirstReadFailsSettings();
        var key = new AdminKey(Options.Create(new AdminOptions()), settings, NullLogger<AdminKey>.Instance);

        await Assert.ThrowsAsync<IOException>(key.EnsureLoadedAsync);

        Assert.True(await key.IsGeneratedAsync());
        // Kept once it worked: later calls read the store no more.
        await key.FingerprintAsync();
        Assert.Equal(2, settings.Reads);
        Assert.NotNull(await settings.GetSettingAsync(AdminKey.HashSetting, CancellationToken.None));
    }
}
