using Bridge.Forwarding;
using Bridge.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Storage;

/// <summary>
/// Copies a LiteDB store into PostgreSQL, for moving a single-replica Bridge to several: links, forwards with their
/// jobs (history, statuses and each group's order), dedupe keys, settings (the generated admin key's hash, the media
/// signing key) and the media files still valid. Reads the file only while no Bridge runs on it (the store file's lock),
/// and skips every row already in PostgreSQL, so a second run, or a run after one that stopped part-way, copies only
/// what is missing. Unfinished jobs come as they are, pending, and the Bridges on PostgreSQL send them; a job left
/// Sending by the stopped Bridge may have been taken by WhatsApp, so it comes as possibly delivered, as the LiteDB
/// Bridge itself would have marked it at its next start (and a Bridge on PostgreSQL marks the outcome of such a
/// forward ready at its start).
/// </summary>
internal static class LiteDbImport
{
    internal sealed record Counts
    {
        public int Links { get; set; }
        public int LinksThere { get; set; }
        public int Forwards { get; set; }
        public int ForwardsThere { get; set; }
        public int Jobs { get; set; }
        public int Unfinished { get; set; }
        public int Interrupted { get; set; }
        public int DedupeKeys { get; set; }
        public int Settings { get; set; }
        public int SettingsThere { get; set; }
        public int Media { get; set; }
        public int MediaThere { get; set; }
    }

    /// <exception cref="StoreOpenException">
    /// The file is missing, in use by a running Bridge, or not a LiteDB store; or PostgreSQL cannot be reached or migrated.
    /// </exception>
    /// <exception cref="StoreUnavailableException">PostgreSQL stopped answering; what was copied stays, and a new run goes on.</exception>
    public static async Task<Counts> RunAsync(
        string liteDbPath, PostgresStore target, string interruptedSendError, DateTimeOffset now, CancellationToken cancellationToken)
    {
        liteDbPath = Path.GetFullPath(liteDbPath);
        // LiteDbStore would start a fresh, empty store over a missing file.
        if (!File.Exists(liteDbPath))
        {
            throw new StoreOpenException($"The LiteDB store file {liteDbPath} does not exist; give the path of Bridge's bridge.db.");
        }

        using var source = Open(liteDbPath);
        // Only once the source is known good: a refused import leaves the database as it found it.
        target.Migrate(NullLogger.Instance);
        var counts = new Counts();

        foreach (var link in await source.ListLinksAsync(null, null, null, cancellationToken))
        {
            _ = await target.AddLinkAsync(link, cancellationToken) ? counts.Links++ : counts.LinksThere++;
        }

        foreach (var (key, value) in source.AllSettings())
        {
            _ = await target.ImportSettingAsync(key, value, cancellationToken) ? counts.Settings++ : counts.SettingsThere++;
        }

        foreach (var media in source.AllMedia().Where(m => m.ExpiresAt > now))
        {
            if (await target.GetMediaAsync(media.Id, cancellationToken) is not null)
            {
                counts.MediaThere++;
                continue;
            }

            await using var content = (await source.OpenMediaAsync(media.Id, cancellationToken))!;
            await target.SaveMediaAsync(media, content, cancellationToken);
            counts.Media++;
        }

        // Forwards in the order of their first job, so each group's jobs are numbered in acceptance order here too;
        // then any forward without jobs.
        var copied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in source.AllJobs())
        {
            if (copied.Add(job.ForwardId) && await source.GetForwardAsync(job.ForwardId, cancellationToken) is { } forward)
            {
                await CopyAsync(forward);
            }
        }

        foreach (var forwardId in source.AllForwardIds().Where(copied.Add))
        {
            await CopyAsync((await source.GetForwardAsync(forwardId, cancellationToken))!);
        }

        foreach (var (key, at, forwardId) in source.AllDedupeKeys())
        {
            counts.DedupeKeys += await target.ImportDedupeKeyAsync(key, at, forwardId, cancellationToken) ? 1 : 0;
        }

        return counts;

        async Task CopyAsync(Forward forward)
        {
            var jobs = await source.GetJobsAsync(forward.Id, cancellationToken);
            var interrupted = jobs.Where(j => j.Status == DeliveryStatus.Sending).ToList();
            foreach (var job in interrupted)
            {
                job.MarkInterrupted(interruptedSendError, now);
            }

            if (!await target.ImportForwardAsync(forward, jobs, cancellationToken))
            {
                counts.ForwardsThere++;
                return;
            }

            counts.Forwards++;
            counts.Jobs += jobs.Count;
            counts.Unfinished += jobs.Count(j => !j.IsFinished);
            counts.Interrupted += interrupted.Count;
        }
    }

    /// <summary>The store as the stopped Bridge left it; a running Bridge holds its lock, and its store is still changing.</summary>
    private static LiteDbStore Open(string path)
    {
        try
        {
            return new LiteDbStore(path);
        }
        catch (StoreOpenException exception) when (exception.InnerException is IOException)
        {
            throw new StoreOpenException($"The LiteDB store file {path} is in use by a running Bridge; stop it, then run the import.", exception);
        }
    }
}
