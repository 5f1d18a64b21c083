using Bridge.Forwarding;

namespace Bridge.Storage.Postgres;

/// <summary>
/// Tells delivery of the work other replicas record on the shared PostgreSQL store: each accepted job (so it is sent in
/// its group's order by whichever replica claims it) and each finished one (so its group's next job goes at once).
/// It LISTENs on a connection of its own and, each time it (re)connects and after each quiet 30 s, reads the unfinished
/// jobs to catch up on notices it missed; a lost connection is opened again after a growing pause, or once the store
/// is back when it was lost (<see cref="StoreAvailability"/>).
/// Nothing to do on LiteDB, whose one process sees every accept itself.
/// </summary>
internal sealed partial class PostgresWorkListener(
    IServiceProvider services,
    IDeliveryScheduler delivery,
    StoreAvailability availability,
    TimeProvider time,
    ILogger<PostgresWorkListener> logger) : BackgroundService
{
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!StorageServiceCollectionExtensions.UsesPostgres(services))
        {
            return;
        }

        var store = services.GetRequiredService<PostgresStore>();
        var pause = FirstPause;
        var listening = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await store.ListenAsync(Notice, async () =>
                {
                    foreach (var job in await store.GetUnfinishedJobsAsync(stoppingToken))
                    {
                        delivery.Noticed(job.GroupKey, job.Id);
                    }

                    delivery.Woken();
                    if (!listening)
                    {
                        Log.Listening(logger);
                    }

                    listening = true;
                    pause = FirstPause;
                }, Probe, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception) when (availability.LostReason is not null)
            {
                // The store is lost (StoreProbe logs it once and checks it): listen again, and catch up, once it is back.
                listening = false;
                pause = FirstPause;
                try
                {
                    await availability.WhenBackAsync(stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (Exception exception)
            {
                listening = false;
                // The message only: an exception's text never holds the connection string, but its ToString may name more.
                Log.ListenFailed(logger, pause, exception.GetType().Name, LogValue.Clean(exception.Message));
                try
                {
                    await Task.Delay(pause, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                pause = pause * 2 < MaxPause ? pause * 2 : MaxPause;
            }
        }
    }

    /// <summary>"{jobId} {groupKey}" for an accepted job, empty for a finished one (<see cref="PostgresStore"/>).</summary>
    private void Notice(string payload)
    {
        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && long.TryParse(payload.AsSpan(0, space), out var jobId))
        {
            delivery.Noticed(payload[(space + 1)..], jobId);
        }
        else
        {
            delivery.Woken();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2702, Level = LogLevel.Information, Message = "Listening for the work other replicas record")]
        public static partial void Listening(ILogger logger);

        [LoggerMessage(EventId = 2703, Level = LogLevel.Warning, Message = "Listening for other replicas' work failed ({Error}: {Reason}); trying again in {Pause}, polling meanwhile")]
        public static partial void ListenFailed(ILogger logger, TimeSpan pause, string error, string reason);
    }
}
