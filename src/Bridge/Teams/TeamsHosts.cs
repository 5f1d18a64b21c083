using Bridge.Hosting;

namespace Bridge.Teams;

/// <summary>Where the bot's token may go: only to Bot Framework hosts, never to Graph, AMS (asm.skype.com) or anything else.</summary>
internal static class TeamsHosts
{
    public const string BotFrameworkHost = "smba.trafficmanager.net";

    /// <summary>True for the activity's own serviceUrl host and for smba.trafficmanager.net.</summary>
    public static bool MayReceiveBotToken(Uri url, string? serviceUrl)
    {
        if (!SafeUrl.IsAllowed(url))
        {
            return false;
        }

        if (url.Scheme == Uri.UriSchemeHttps && url.Host.Equals(BotFrameworkHost, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return Uri.TryCreate(serviceUrl, UriKind.Absolute, out var service)
            && SafeUrl.IsAllowed(service)
            && url.Scheme == service.Scheme
            && url.Authority.Equals(service.Authority, StringComparison.OrdinalIgnoreCase);
    }
}
