using Bridge.Forwarding;
using Bridge.WhatsApp;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
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
    IOptions<KeyManagementOptions> cookieKeys,
    TimeProvider time,
    ILogger<AdminStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await key.EnsureLoadedAsync();
        if (cookieKeys.Value.XmlEncryptor is null)
        {
            // In place of Data Protection's own warning ("No XML encryptor configured", silenced in appsettings.json).
            Log.CookieKeysUnencrypted(logger, cookieKeys.Value.XmlRepository is FileSystemXmlRepository folder
                ? $"the folder {folder.Directory.FullName}"
                : cookieKeys.Value.XmlRepository?.ToString() ?? "memory");
        }

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
        [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Admin: the keys of the sign-in and form cookies are stored unencrypted in {Where}; set Admin:KeyEncryptionCertificate to a .pfx file to encrypt them at rest")]
        public static partial void CookieKeysUnencrypted(ILogger logger, string where);

        [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Admin: {Declared} links declared in configuration, {Added} of them new")]
        public static partial void LinksApplied(ILogger logger, int declared, int added);
    }
}
