using Bridge.Forwarding;

namespace Bridge.Delivery;

internal static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>()
            .BindConfiguration(DeliveryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(ReplicaId.Create());
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<PendingJobIndex>();
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<IDeliveryScheduler, DeliveryScheduler>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<ReplyPoster>();
        services.AddHostedService<DeliveryWorker>();
        services.AddSingleton<ScheduledSends>();
        services.AddHostedService<ScheduleWorker>();
        services.AddSingleton<IGroupSizes, WhatsAppGroupSizes>();
        services.AddHostedService<ApprovalRecovery>();
        services.AddHostedService<ApprovalExpiry>();
        return services;
    }
}
