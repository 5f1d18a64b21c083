using Bridge.Forwarding;
using Bridge.WhatsApp;
using Microsoft.Extensions.Options;

namespace Bridge.Admin;

/// <summary>
/// At start: makes sure there is an admin key (generating one if needed), and applies the links declared under
/// <c>Links</c> in configuration. Applying is idempotent: a link already there is left alone. A malformed entry
/// stops start-up, naming its key.
/// </summary>
internal sealed partial class AdminStartup(
    AdminKey key,
    IConfiguration configuration,
    ILinkStore store,
    IOptions<WhatsAppOptions> whatsApp,
    TimeProvider time,
    ILogger<AdminStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await key.EnsureLoadedAsync();
        var declared = configuration.GetSection(ConfiguredLink.Section).Get<ConfiguredLink[]>() ?? [];
        var links = declared.Select((entry, index) => ToLink(entry, index)).ToList();
        var added = 0;
        foreach (var link in links)
        {
            if (await store.AddLinkAsync(link, cancellationToken))
            {
                added++;
            }
        }

        if (links.Count > 0)
        {
            Log.LinksApplied(logger, links.Count, added);
        }
    }

    private ChannelLink ToLink(ConfiguredLink entry, int index)
    {
        var sessionId = string.IsNullOrWhiteSpace(entry.SessionId) ? whatsApp.Value.SessionId?.Trim() : entry.SessionId.Trim();
        if (string.IsNullOrWhiteSpace(sessionId))
        {
            sessionId = null;
        }

        var request = new CreateLinkRequest(entry.Platform, entry.WorkspaceId, entry.ChannelId, entry.GroupId, sessionId, entry.GroupName);
        if (LinkEditor.Validate(request, sessionId) is { Count: > 0 } errors)
        {
            throw new OptionsValidationException(ConfiguredLink.Section, typeof(ConfiguredLink),
                errors.Select(e => $"{ConfiguredLink.Section}:{index}:{e.Field}: {e.Reason}"));
        }

        var groupId = entry.GroupId!.Trim();
        return new ChannelLink
        {
            Platform = LinkEditor.ParsePlatform(entry.Platform)!.Value,
            WorkspaceId = entry.WorkspaceId!.Trim(),
            ChannelId = entry.ChannelId!.Trim(),
            SessionId = sessionId!,
            GroupId = groupId,
            GroupName = string.IsNullOrWhiteSpace(entry.GroupName) ? groupId : entry.GroupName.Trim(),
            CreatedBy = "configuration",
            CreatedAt = time.GetUtcNow(),
        };
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Admin: {Declared} links declared in configuration, {Added} of them new")]
        public static partial void LinksApplied(ILogger logger, int declared, int added);
    }
}
