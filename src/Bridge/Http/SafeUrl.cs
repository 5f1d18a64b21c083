using System.Net;

namespace Bridge.Http;

internal static class SafeUrl
{
    /// <summary>Base URLs must be https; plain http is accepted only for loopback hosts (tests and local fakes).</summary>
    public static bool IsAllowed(Uri? url) =>
        url is { IsAbsoluteUri: true } && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && IsLoopback(url)));

    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
