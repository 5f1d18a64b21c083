using Bridge.Forwarding;
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
            .ValidateOnStart();
        // One store, one connection, seen by each consumer only through the port it uses.
        services.TryAddSingleton<IDiskFlush, DiskFlush>();
        services.AddSingleton(sp => new LiteDbStore(DatabasePath(sp), sp.GetRequiredService<IDiskFlush>(), sp.GetRequiredService<ILogger<LiteDbStore>>()));
        services.AddSingleton<ILinkStore>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddSingleton<IForwardStore>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddSingleton<IMediaStore>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddSingleton<ISettingStore>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddHostedService<HistoryPurger>();
        return services;
    }

    /// <summary>The folder the database file is in, for what must be kept beside it, in the same volume.</summary>
    public static string DatabaseDirectory(IServiceProvider services) => Path.GetDirectoryName(DatabasePath(services))!;

    /// <summary>A relative path is under the content root, wherever the process was started from.</summary>
    private static string DatabasePath(IServiceProvider services) => Path.GetFullPath(Path.Combine(
        services.GetRequiredService<IHostEnvironment>().ContentRootPath,
        services.GetRequiredService<IOptions<StorageOptions>>().Value.LiteDbPath));
}
