using Bridge.Slack;
using Bridge.Teams;
using Bridge.WhatsApp;
using Microsoft.Extensions.Options;

namespace Bridge.Hosting;

/// <summary>Logs at start which integrations are configured, naming the keys that are missing (never their values).</summary>
internal sealed partial class StartupReport(
    IOptions<SlackOptions> slack,
    IOptions<TeamsOptions> teams,
    IOptions<WhatsAppOptions> whatsApp,
    ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Report("Slack", slack.Value.MissingKeys());
        Report("Teams", teams.Value.MissingKeys());
        Report("WhatsApp", whatsApp.Value.MissingKeys());
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
    }
}
