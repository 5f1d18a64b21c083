using System.Net;
using System.Text.RegularExpressions;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Admin;

public sealed partial class AdminKeyTests
{
    [Fact]
    public async Task Without_a_configured_key_one_is_generated_printed_once_and_kept_across_restarts()
    {
        var directory = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"));
        var database = Path.Combine(directory, "bridge.db");
        try
        {
            string key;
            await using (var first = await BridgeApp.StartAsync(a => a.Settings["Storage:LiteDbPath"] = database))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await first.Api(key: null).GetAsync("/admin/api/links")).StatusCode);
                var printed = Assert.Single(first.Logs, l => l.Contains("[5001]"));
                key = GeneratedKey().Match(printed).Groups[1].Value;
                Assert.True(key.Length >= 40, printed);
                Assert.Equal(HttpStatusCode.OK, (await first.Api(key).GetAsync("/admin/api/links")).StatusCode);
                Assert.DoesNotContain(key, await first.SettingStore.GetSettingAsync(Bridge.Admin.AdminKey.HashSetting, default));
            }

            await using var second = await BridgeApp.StartAsync(a => a.Settings["Storage:LiteDbPath"] = database);
            Assert.Equal(HttpStatusCode.OK, (await second.Api(key).GetAsync("/admin/api/links")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await second.Api("another").GetAsync("/admin/api/links")).StatusCode);
            Assert.DoesNotContain(second.Logs, l => l.Contains("[5001]"));
            Assert.Contains(second.Logs, l => l.Contains("[5002]") && l.Contains("Admin:ApiKey"));
            Assert.DoesNotContain(second.Logs, l => l.Contains(key));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Two_fresh_installations_generate_different_keys()
    {
        await using var one = await BridgeApp.StartAsync();
        await using var two = await BridgeApp.StartAsync();
        one.CreateClient();
        two.CreateClient();

        var keyOne = GeneratedKey().Match(Assert.Single(one.Logs, l => l.Contains("[5001]"))).Groups[1].Value;
        var keyTwo = GeneratedKey().Match(Assert.Single(two.Logs, l => l.Contains("[5001]"))).Groups[1].Value;

        Assert.NotEqual(keyOne, keyTwo);
        Assert.Equal(HttpStatusCode.Unauthorized, (await two.Api(keyOne).GetAsync("/admin/api/links")).StatusCode);
    }

    [Fact]
    public async Task A_configured_key_is_used_and_never_logged_and_nothing_is_generated()
    {
        await using var app = await AdminApp.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await app.Api().GetAsync("/admin/api/links")).StatusCode);
        Assert.DoesNotContain(app.Logs, l => l.Contains("[5001]") || l.Contains("[5002]") || l.Contains(AdminApp.Key));
        Assert.Null(await app.SettingStore.GetSettingAsync(Bridge.Admin.AdminKey.HashSetting, default));
    }

    [Fact]
    public async Task A_configured_key_shorter_than_32_characters_stops_start_up_with_a_sentence()
    {
        await using var app = await AdminApp.StartAsync(a => a.Settings["Admin:ApiKey"] = new string('k', 31));

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Admin:ApiKey must be at least 32 characters long", error.Message);
        Assert.DoesNotContain(new string('k', 31), error.Message);
    }

    [Fact]
    public async Task A_configured_key_of_32_characters_is_accepted()
    {
        var key = new string('k', 32);
        await using var app = await AdminApp.StartAsync(a => a.Settings["Admin:ApiKey"] = key);

        Assert.Equal(HttpStatusCode.OK, (await app.Api(key).GetAsync("/admin/api/links")).StatusCode);
    }

    [GeneratedRegex("generated: ([A-Za-z0-9_-]+) ")]
    private static partial Regex GeneratedKey();
}
