using System.Net;
using System.Net.Sockets;

namespace Bridge.Media;

/// <summary>
/// Connections for downloads from addresses chat users choose: the addresses a name resolves to are checked when the
/// connection is made, so a name that resolves to an inside address (or starts to, DNS rebinding) is never reached.
/// </summary>
internal static class PublicNetwork
{
    /// <summary>False for loopback, private (RFC 1918, carrier-grade NAT, IPv6 unique-local), link-local and unspecified addresses.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or >= 224
                || (b[0] == 100 && b[1] is >= 64 and < 128)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] is >= 16 and < 32)
                || (b[0] == 192 && b[1] == 168));
        }

        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
    }

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/> that connects only to addresses <paramref name="allowed"/> accepts.</summary>
    public static async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context, Func<string, IPAddress, bool> allowed, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        // Every address must pass: a name that also resolves inside could be connected there on another try.
        if (addresses.Length == 0 || !addresses.All(address => allowed(host, address)))
        {
            throw new NonPublicAddressException(host);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
