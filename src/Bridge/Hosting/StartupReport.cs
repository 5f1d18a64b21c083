using Bridge.Media;
using Bridge.Slack;
using Bridge.Teams;
using Bridge.WhatsApp;
using Microsoft.Extensions.Options;

namespace Bridge.Hosting;

/// <summary>
/// Logs at start which integrations are configured, naming the keys that are missing (never their values), and whether
/// files can be forwarded (Bridge:PublicBaseUrl).
/// </summary>
internal sealed partial class StartupReport(
    IOptions<SlackOptions> slack,
    IOptions<TeamsOptions> teams,
    IOptions<WhatsAppOptions> whatsApp,
    IOptions<BridgeOptions> bridge,
    ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Report("Slack", slack.Value.MissingKeys());
        Report("Teams", teams.Value.MissingKeys());
        Report("WhatsApp", whatsApp.Value.MissingKeys());
        if (bridge.Value.PublicBaseUrl is null)
        {
            Log.NoPublicBaseUrl(logger);
        }

        return Task.CompletedTask;
    }

    private void Report(string integration, IReadOnlyList<string> missing)
    {
        if (missing.Count == 0)
        {
            Log.Configured(logger, integration);
        }
        else
        {
            Log.NotConfigured(logger, integration, string.Join(", ", missing));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Integration}: configured")]
        public static partial void Configured(ILogger logger, string integration);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Integration}: not configured (missing {MissingKeys})")]
        public static partial void NotConfigured(ILogger logger, string integration, string missingKeys);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
            Message = "Bridge:PublicBaseUrl is not set: files (images, documents) cannot be forwarded, because WhatsApp needs a public address to fetch them from; text is forwarded")]
        public static partial void NoPublicBaseUrl(ILogger logger);
    }
}
