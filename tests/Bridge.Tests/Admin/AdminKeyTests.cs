using System.Net;
using Bridge.Admin;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Admin;

public sealed class AdminKeyTests
{
    [Fact]
    public async Task Without_a_configured_key_one_is_generated_into_a_private_file_never_the_log_and_kept_across_restarts()
    {
        var directory = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"));
        var database = Path.Combine(directory, "bridge.db");
        var keyFile = Path.Combine(directory, AdminKey.KeyFileName);
        try
        {
            string key;
            await using (var first = await BridgeApp.StartAsync(a => a.Settings["Storage:LiteDbPath"] = database))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await first.Api(key: null).GetAsync("/admin/api/links")).StatusCode);
                key = File.ReadAllText(keyFile).Trim();
                Assert.True(key.Length >= 40, key.Length.ToString());
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
                }

                var told = Assert.Single(first.Logs, l => l.Contains("[5001]"));
                Assert.Contains($"written to {keyFile}, readable only by Bridge's user", told);
                Assert.DoesNotContain(first.Logs, l => l.Contains(key));
                Assert.Equal(HttpStatusCode.OK, (await first.Api(key).GetAsync("/admin/api/links")).StatusCode);
                Assert.DoesNotContain(key, await first.SettingStore.GetSettingAsync(AdminKey.HashSetting, default));
            }

            File.Delete(keyFile);
            await using var second = await BridgeApp.StartAsync(a => a.Settings["Storage:LiteDbPath"] = database);
            Assert.Equal(HttpStatusCode.OK, (await second.Api(key).GetAsync("/admin/api/links")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await second.Api("another").GetAsync("/admin/api/links")).StatusCode);
            Assert.DoesNotContain(second.Logs, l => l.Contains("[5001]"));
            Assert.Contains(second.Logs, l => l.Contains("[5002]") && l.Contains("Admin:ApiKey"));
            Assert.DoesNotContain(second.Logs, l => l.Contains(key));
            Assert.False(File.Exists(keyFile));
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

        var keyOne = File.ReadAllText(KeyFile(one)).Trim();
        var keyTwo = File.ReadAllText(KeyFile(two)).Trim();

        Assert.NotEqual(keyOne, keyTwo);
        Assert.Equal(HttpStatusCode.OK, (await two.Api(keyTwo).GetAsync("/admin/api/links")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await two.Api(keyOne).GetAsync("/admin/api/links")).StatusCode);
    }

    [Fact]
    public async Task A_generated_key_that_cannot_be_written_out_is_logged_as_such_with_what_to_do()
    {
        await using var app = await BridgeApp.StartAsync();
        Directory.CreateDirectory(KeyFile(app)); // a folder where the file should go: the write fails

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api(key: null).GetAsync("/admin/api/links")).StatusCode);

        var told = Assert.Single(app.Logs, l => l.Contains("[5003]"));
        Assert.Contains("so none was kept; nobody can sign in until you set Admin:ApiKey, run `dotnet Bridge.dll admin reset-key`", told);
        Assert.DoesNotContain(app.Logs, l => l.Contains("[5001]"));
        Assert.Null(await app.SettingStore.GetSettingAsync(AdminKey.HashSetting, default));
    }

    [Fact]
    public async Task A_configured_key_is_used_and_never_logged_and_nothing_is_generated()
    {
        await using var app = await AdminApp.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await app.Api().GetAsync("/admin/api/links")).StatusCode);
        Assert.DoesNotContain(app.Logs, l => l.Contains("[5001]") || l.Contains("[5002]") || l.Contains(AdminApp.Key));
        Assert.Null(await app.SettingStore.GetSettingAsync(AdminKey.HashSetting, default));
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

    private static string KeyFile(BridgeApp app) => Path.Combine(Path.GetDirectoryName(app.DatabasePath)!, AdminKey.KeyFileName);
}
