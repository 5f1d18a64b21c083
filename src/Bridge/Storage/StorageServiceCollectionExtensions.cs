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
        // A relative path is under the content root, wherever the process was started from.
        services.AddSingleton<IBridgeStore>(sp => new LiteDbStore(Path.Combine(
            sp.GetRequiredService<IHostEnvironment>().ContentRootPath,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.LiteDbPath)));
        return services;
    }
}
