using Bridge.Delivery;
using Bridge.Storage;
using Bridge.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace Bridge.Hosting;

/// <summary>
/// <c>Bridge import-litedb &lt;bridge.db&gt;</c>: copies a LiteDB store into the configured PostgreSQL store
/// (<see cref="LiteDbImport"/>), prints what it copied, and exits 0; on any refusal or failure, one sentence on stderr
/// and exit code 1 (2 without a path: the usage). Settings come from the same places as Bridge's (appsettings.json, environment, the arguments after
/// the path), so the connection string is never on the screen.
/// </summary>
internal static class LiteDbImportCommand
{
    public const string Verb = "import-litedb";

    private const string Usage = "Usage: Bridge import-litedb <path to bridge.db>, with Storage:Provider=Postgres and Storage:PostgresConnectionString set.";

    public static async Task<int> RunAsync(string[] arguments, TextWriter output, TextWriter error)
    {
        if (arguments is not [var path, ..] || path.StartsWith('-'))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        return await StoreCommand.RunAsync(
            arguments[1..], error, "the import", "what was copied stays, and running the import again copies the rest",
            async services =>
            {
                var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
                if (!options.UsesPostgres)
                {
                    await error.WriteLineAsync($"import-litedb copies into PostgreSQL, but Storage:Provider is {options.Provider}: set Storage:Provider=Postgres and Storage:PostgresConnectionString.");
                    return 1;
                }

                var target = services.GetRequiredService<PostgresStore>();
                var time = services.GetRequiredService<TimeProvider>();
                var counts = await LiteDbImport.RunAsync(path, target, DeliveryWorker.InterruptedSendError, time.GetUtcNow(), CancellationToken.None);
                await output.WriteLineAsync(Report(Path.GetFullPath(path), counts));
                return 0;
            });
    }

    private static string Report(string path, LiteDbImport.Counts counts) =>
        $"""
        Imported {path} into PostgreSQL (rows already there were skipped):
          links: {counts.Links} copied, {counts.LinksThere} already there
          forwards: {counts.Forwards} copied with {counts.Jobs} jobs ({counts.Unfinished} still to send, {counts.Interrupted} interrupted sends marked possibly delivered), {counts.ForwardsThere} already there
          dedupe keys: {counts.DedupeKeys} copied
          settings: {counts.Settings} copied, {counts.SettingsThere} already there (kept as they are)
          media files: {counts.Media} copied, {counts.MediaThere} already there
        """;
}
