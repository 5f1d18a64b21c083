using System.Net;
using Bridge.Http;
using Bridge.Media;
using Microsoft.Extensions.Options;

namespace Bridge.Teams;

/// <summary>
/// Where Teams file links (<c>downloadUrl</c>) may be fetched from: https on SharePoint and OneDrive hosts
/// (<c>Media:TeamsFileHosts</c>), every redirect checked again, and never an address that is not public. A loopback
/// address is reachable only when listed itself, for tests.
/// </summary>
internal sealed class TeamsFileHosts(IOptions<MediaOptions> options)
{
    public bool IsAllowed(Uri url)
    {
        if (!url.IsAbsoluteUri || !string.IsNullOrEmpty(url.UserInfo))
        {
            return false;
        }

        if (IsListedLoopback(url.Host))
        {
            return SafeUrl.IsAllowed(url);
        }

        var host = url.IdnHost.TrimEnd('.');
        return url.Scheme == Uri.UriSchemeHttps && options.Value.EffectiveTeamsFileHosts.Any(allowed => HostNames.MatchesWithSubdomains(host, allowed));
    }

    /// <summary>Whether a download may connect to this address of this host (checked by the connection itself).</summary>
    public bool MayConnect(string host, IPAddress address) =>
        PublicNetwork.IsPublic(address) || (IPAddress.IsLoopback(address) && IsListedLoopback(host));

    public static string NotOnFileHost(string name) =>
        $"{name} was not forwarded: its download link is not on SharePoint or OneDrive, so Bridge does not fetch it.";

    private bool IsListedLoopback(string host)
    {
        var bare = host.Trim('[', ']');
        return IPAddress.TryParse(bare, out var address)
            && IPAddress.IsLoopback(address)
            && options.Value.EffectiveTeamsFileHosts.Any(listed => HostNames.Matches(bare, listed));
    }
}
