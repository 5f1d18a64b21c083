using Bridge.Forwarding;
using Bridge.Storage.Postgres;
using Bridge.WhatsApp;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bridge.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .ValidateDataAnnotations()
            .Validate(
                o => o.Retention == TimeSpan.Zero || o.Retention >= HistoryPurger.DedupeKeyLifetime,
                $"Storage:Retention must be 0 (keep all history) or at least {HistoryPurger.DedupeKeyLifetime.Days} days, so that a retried request still finds the forward its dedupe key names.")
            .Validate(
                o => !o.UsesPostgres || !string.IsNullOrWhiteSpace(o.PostgresConnectionString),
                "Storage:PostgresConnectionString is required when Storage:Provider is Postgres.")
            .ValidateOnStart();
        // One store, seen by each consumer only through the port it uses; the provider decides which, when first asked.
        services.TryAddSingleton<IDiskFlush, DiskFlush>();
        services.AddSingleton<StoreAvailability>();
        services.AddSingleton(sp => new LiteDbStore(
            DatabasePath(sp), sp.GetRequiredService<IDiskFlush>(), sp.GetRequiredService<StoreAvailability>(), sp.GetRequiredService<ILogger<LiteDbStore>>()));
        services.AddSingleton(sp => PostgresStore.Create(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StoreAvailability>()));
        services.AddSingleton<ILinkStore>(sp => (ILinkStore)Store(sp));
        services.AddSingleton<IForwardStore>(sp => (IForwardStore)Store(sp));
        services.AddSingleton<IApprovalStore>(sp => (IApprovalStore)Store(sp));
        services.AddSingleton<IMediaStore>(sp => (IMediaStore)Store(sp));
        services.AddSingleton<ISettingStore>(sp => (ISettingStore)Store(sp));
        services.AddSingleton<IAdminSessionStore>(sp => (IAdminSessionStore)Store(sp));
        services.AddSingleton<IScheduleStore>(sp => (IScheduleStore)Store(sp));
        // Replicas on PostgreSQL count their TalkNTalk requests together; a single replica counts its own in memory.
        services.AddSingleton<IPermitLog>(sp => UsesPostgres(sp) ? sp.GetRequiredService<PostgresStore>() : new InMemoryPermitLog());
        services.AddSingleton<StoreProbe>();
        services.AddHostedService(sp => sp.GetRequiredService<StoreProbe>());
        services.AddHostedService<HistoryPurger>();
        services.AddHostedService<PostgresWorkListener>();
        return services;
    }

    /// <summary>The configured store: PostgreSQL or (the default) LiteDB.</summary>
    public static object Store(IServiceProvider services) => UsesPostgres(services)
        ? services.GetRequiredService<PostgresStore>()
        : services.GetRequiredService<LiteDbStore>();

    public static bool UsesPostgres(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value.UsesPostgres;

    /// <summary>
    /// Where the Data Protection keys are kept: in PostgreSQL, shared by the replicas; else beside the LiteDB file, in the
    /// same volume.
    /// </summary>
    public static IXmlRepository DataProtectionKeys(IServiceProvider services) => UsesPostgres(services)
        ? services.GetRequiredService<PostgresStore>().DataProtectionKeys
        : new FileSystemXmlRepository(
            new DirectoryInfo(Path.Combine(DataFolder(services), "keys")),
            services.GetRequiredService<ILoggerFactory>());

    /// <summary>The LiteDB file's folder, Bridge's one writable place (a scratch folder on PostgreSQL).</summary>
    public static string DataFolder(IServiceProvider services) => Path.GetDirectoryName(DatabasePath(services))!;

    /// <summary>A relative path is under the content root, wherever the process was started from.</summary>
    public static string DatabasePath(IServiceProvider services) => Path.GetFullPath(Path.Combine(
        services.GetRequiredService<IHostEnvironment>().ContentRootPath,
        services.GetRequiredService<IOptions<StorageOptions>>().Value.LiteDbPath));
}
