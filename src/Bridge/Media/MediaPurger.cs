using Bridge.Forwarding;
using Microsoft.Extensions.Options;

namespace Bridge.Media;

/// <summary>Deletes stored files whose lifetime has ended, at start and then every <see cref="MediaOptions.PurgeInterval"/>.</summary>
internal sealed partial class MediaPurger(IMediaStore store, TimeProvider time, IOptions<MediaOptions> options, ILogger<MediaPurger> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, time);
        try
        {
            do
            {
                await PurgeAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PurgeAsync(CancellationToken stoppingToken)
    {
        try
        {
            var purged = await store.PurgeExpiredMediaAsync(time.GetUtcNow(), stoppingToken);
            if (purged > 0)
            {
                Log.Purged(logger, purged);
            }
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            Log.PurgeFailed(logger, exception);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Purged {Count} expired media file(s)")]
        public static partial void Purged(ILogger logger, int count);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Purging expired media failed")]
        public static partial void PurgeFailed(ILogger logger, Exception exception);
    }
}
