using Bridge.Storage.Postgres;

namespace Bridge.Storage;

internal static partial class StoreStartup
{
    /// <summary>
    /// Opens the store before the host starts (PostgreSQL: brings its schema up to date), so a store that cannot be
    /// opened stops start-up with its one sentence (logged at Critical and written to stderr) instead of the host's
    /// stack trace. False when it cannot be opened.
    /// </summary>
    public static bool OpenStore(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StoreStartup));
        try
        {
            if (StorageServiceCollectionExtensions.Store(app.Services) is PostgresStore postgres)
            {
                postgres.Migrate(logger);
            }

            return true;
        }
        catch (StoreOpenException exception)
        {
            Log.StoreNotOpened(logger, exception.Message);
            Console.Error.WriteLine(exception.Message);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Critical, Message = "{Reason}")]
        public static partial void StoreNotOpened(ILogger logger, string reason);
    }
}
