using Microsoft.Extensions.Options;

namespace Bridge.Forwarding;

internal static class ForwardingServiceCollectionExtensions
{
    /// <summary>The forwarder; the composition root configures <see cref="ForwardingOptions"/>.</summary>
    public static IServiceCollection AddForwarding(this IServiceCollection services)
    {
        services.AddOptions<ForwardingOptions>();
        services.AddOptions<ApprovalOptions>().BindConfiguration(ApprovalOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApprovalOptions>, ApprovalOptionsValidator>();
        services.AddSingleton<ApprovalGate>();
        services.AddSingleton<ApprovalDesk>();
        services.AddSingleton<Forwarder>();
        services.AddSingleton<DeliveryRetry>();
        services.AddSingleton<SendAgain>();
        return services;
    }
}
