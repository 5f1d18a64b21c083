using Bridge.Admin;
using Bridge.Forwarding;
using Bridge.Storage;
using Bridge.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Hosting;

/// <summary>
/// <c>Bridge admin reset-key</c>: makes a new generated admin key, stores its hash in place of the old one, prints the
/// key once, and exits 0; on a refusal, one sentence on stderr (<see cref="StoreCommand"/>), exit code 1, and nothing changed.
/// </summary>
internal static class AdminResetKeyCommand
{
    public const string Group = "admin";
    public const string Verb = "reset-key";

    public static async Task<int> RunAsync(string[] arguments, TextWriter output, TextWriter error)
    {
        return await StoreCommand.RunAsync(
            arguments, error, "the new admin key", "the admin key was not changed",
            async services =>
            {
                var configuration = services.GetRequiredService<IConfiguration>();
                if (!string.IsNullOrWhiteSpace(configuration[$"{AdminOptions.Section}:{nameof(AdminOptions.ApiKey)}"]))
                {
                    await error.WriteLineAsync("The admin key is configured in Admin:ApiKey, so there is no generated key to reset; change it there.");
                    return 1;
                }

                var store = OpenStore(services);
                var (key, storedHash) = AdminKey.Generate();
                await store.SetSettingAsync(AdminKey.HashSetting, storedHash, CancellationToken.None);
                await output.WriteLineAsync(key);
                await output.WriteLineAsync(
                    $"This is the new admin key, shown only this once: use it as the bearer key for /admin/api and to sign in at /admin; the old key stops working, in replicas already running within {AdminKey.RereadInterval.TotalSeconds:0} seconds.");
                return 0;
            });
    }

    /// <summary>The configured store, brought up to date as Bridge's start does; a running Bridge holds a LiteDB store's lock.</summary>
    private static ISettingStore OpenStore(IServiceProvider services)
    {
        try
        {
            var store = StorageServiceCollectionExtensions.Store(services);
            (store as PostgresStore)?.Migrate(NullLogger.Instance);
            return (ISettingStore)store;
        }
        catch (StoreOpenException exception) when (exception.InnerException is IOException)
        {
            throw new StoreOpenException(
                $"The store file {StorageServiceCollectionExtensions.DatabasePath(services)} is in use by a running Bridge; stop Bridge first, then run admin reset-key again.",
                exception);
        }
    }
}
