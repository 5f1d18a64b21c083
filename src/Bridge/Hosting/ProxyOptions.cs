using System.Net;

namespace Bridge.Hosting;

/// <summary>
/// <c>Bridge:TrustedProxies</c>: the reverse proxies (addresses or CIDR networks) whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> Bridge believes. The client address they give is what admin-key guessing is counted by.
/// </summary>
internal sealed class ProxyOptions
{
    public const string Section = "Bridge";

    public string[] TrustedProxies { get; set; } = [];

    /// <summary>The networks of <see cref="TrustedProxies"/>; a plain address is a network of one.</summary>
    public IReadOnlyList<IPNetwork> Networks() => [.. TrustedProxies.Select(entry => Parse(entry)!.Value)];

    public bool IsValid() => TrustedProxies.All(entry => Parse(entry) is not null);

    private static IPNetwork? Parse(string entry) =>
        IPAddress.TryParse(entry.Trim(), out var address) ? new IPNetwork(address, address.GetAddressBytes().Length * 8)
        : IPNetwork.TryParse(entry.Trim(), out var network) ? network
        : null;
}
