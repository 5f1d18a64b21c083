using Bridge.Http;

namespace Bridge.Media;

internal static class MediaServiceCollectionExtensions
{
    /// <summary>The media pipeline: the policy at accept time, the publisher for delivery and its ffmpeg, the signed links and the purge.</summary>
    public static IServiceCollection AddMedia(this IServiceCollection services)
    {
        services.AddOptions<MediaOptions>()
            .BindConfiguration(MediaOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Lifetime > TimeSpan.Zero, "Media:Lifetime must be positive.")
            .Validate(o => o.PurgeInterval > TimeSpan.Zero, "Media:PurgeInterval must be positive.")
            .Validate(o => o.DownloadTimeout > TimeSpan.Zero, "Media:DownloadTimeout must be positive.")
            .Validate(o => o.TranscodeTimeout > TimeSpan.Zero, "Media:TranscodeTimeout must be positive.")
            .Validate(o => o.TeamsFileHosts.All(HostNames.IsHost),
                "Media:TeamsFileHosts must list host names (e.g. contoso.sharepoint.com), without scheme, port or path.")
            .ValidateOnStart();
        services.AddOptions<BridgeOptions>()
            .BindConfiguration(BridgeOptions.Section)
            .Validate(o => o.PublicBaseUrl is null || SafeUrl.IsAllowed(o.PublicBaseUrl),
                "Bridge:PublicBaseUrl must be an absolute https URL (plain http only for loopback).")
            .ValidateOnStart();
        services.AddSingleton<MediaSigner>();
        services.AddSingleton<MediaPolicy>();
        services.AddSingleton<MediaTranscoder>();
        services.AddHostedService(provider => provider.GetRequiredService<MediaTranscoder>());
        services.AddSingleton<IMediaPublisher, MediaPublisher>();
        services.AddHostedService<MediaPurger>();
        return services;
    }
}
