using Bridge.Http;
using Microsoft.Extensions.Options;

namespace Bridge.Teams;

/// <summary>
/// The hosts that may receive the bot's token: an Entra-issued inbound token has no <c>serviceurl</c> claim, so the
/// activity's serviceUrl is checked against this list before it is stored or called, and so is every other URL the
/// token is sent to (inline images). Graph, AMS (asm.skype.com), SharePoint and anything else never get it.
/// </summary>
internal sealed class TeamsServiceHosts(IOptions<TeamsOptions> options)
{
    /// <summary>
    /// The Bot Connector's documented service hosts of the public cloud
    /// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages#create-the-conversation).
    /// The government clouds' hosts (GCC, GCC High, DoD) are left out: their tokens have issuers Bridge refuses, so an
    /// admin adds them in <c>Teams:AllowedServiceHosts</c> knowingly. A <c>*.</c> entry matches subdomains only;
    /// trafficmanager.net is shared by all of Azure, so only its smba host is listed.
    /// </summary>
    public static readonly string[] Defaults =
    [
        "smba.trafficmanager.net",
        "*.botframework.com",
    ];

    /// <summary>True for https on a listed host, and for plain http on a loopback host only when that host is configured.</summary>
    public bool IsAllowed(Uri? url)
    {
        if (!SafeUrl.IsAllowed(url))
        {
            return false;
        }

        IEnumerable<string> hosts = SafeUrl.IsLoopback(url!) ? options.Value.AllowedServiceHosts : [.. Defaults, .. options.Value.AllowedServiceHosts];
        return hosts.Any(entry => HostNames.Matches(url!.IdnHost, entry));
    }

    public bool IsAllowed(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var parsed) && IsAllowed(parsed);
}
