namespace Bridge.Commands;

internal static class CommandsServiceCollectionExtensions
{
    /// <summary>The handlers and their dispatcher; each platform registers its <see cref="ICommandAdmins"/>.</summary>
    public static IServiceCollection AddCommands(this IServiceCollection services)
    {
        services.AddSingleton<AdminCheck>();
        services.AddSingleton<SendHandler>();
        services.AddSingleton<LinkHandler>();
        services.AddSingleton<UnlinkHandler>();
        services.AddSingleton<GroupsHandler>();
        services.AddSingleton<StatusHandler>();
        services.AddSingleton<ScheduledHandler>();
        services.AddSingleton<CancelHandler>();
        services.AddSingleton<CommandDispatcher>();
        return services;
    }
}
