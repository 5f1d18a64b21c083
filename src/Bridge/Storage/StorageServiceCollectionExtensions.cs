using Bridge.Forwarding;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace Bridge.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // One store, one connection, seen by each consumer only through the port it uses.
        services.AddSingleton(sp => new LiteDbStore(DatabasePath(sp)));
        services.AddSingleton<ILinkStore>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddSingleton<IForwardStore>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddSingleton<IMediaStore>(sp => sp.GetRequiredService<LiteDbStore>());
        services.AddSingleton<ISettingStore>(sp => sp.GetRequiredService<LiteDbStore>());

        // The admin page's sign-in cookies stay valid across restarts: their keys live beside the database, in the
        // same volume.
        services.AddDataProtection();
        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider>((options, sp) => options.XmlRepository = new FileSystemXmlRepository(
                new DirectoryInfo(Path.Combine(Path.GetDirectoryName(DatabasePath(sp))!, "keys")),
                sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }

    /// <summary>A relative path is under the content root, wherever the process was started from.</summary>
    private static string DatabasePath(IServiceProvider services) => Path.GetFullPath(Path.Combine(
        services.GetRequiredService<IHostEnvironment>().ContentRootPath,
        services.GetRequiredService<IOptions<StorageOptions>>().Value.LiteDbPath));
}
