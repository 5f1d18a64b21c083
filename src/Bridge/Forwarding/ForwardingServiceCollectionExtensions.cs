namespace Bridge.Forwarding;

internal static class ForwardingServiceCollectionExtensions
{
    /// <summary>The forwarder; the composition root configures <see cref="ForwardingOptions"/>.</summary>
    public static IServiceCollection AddForwarding(this IServiceCollection services)
    {
        services.AddOptions<ForwardingOptions>();
        services.AddSingleton<Forwarder>();
        services.AddSingleton<DeliveryRetry>();
        services.AddSingleton<SendAgain>();
        return services;
    }
}
