namespace Bridge.Http;

/// <summary>
/// Entries of a host allow-list: a host name or address, or <c>*.</c> and a host name for its subdomains only.
/// Configured lists are checked with <see cref="IsEntry"/> at start, so an entry that could never match stops Bridge.
/// </summary>
internal static class HostNames
{
    public static bool IsEntry(string entry)
    {
        var host = entry.Trim();
        return IsHost(host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host);
    }

    /// <summary>A host name or an IP address (IPv6 with or without brackets), without scheme, port or path.</summary>
    public static bool IsHost(string value) => Uri.CheckHostName(value.Trim().Trim('[', ']')) != UriHostNameType.Unknown;

    public static bool Matches(string host, string entry)
    {
        entry = entry.Trim();
        return entry.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase) && host.Length > entry.Length - 1
            : host.Trim('[', ']').Equals(entry.Trim('[', ']'), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The host itself or any of its subdomains.</summary>
    public static bool MatchesWithSubdomains(string host, string entry) => Matches(host, entry) || Matches(host, "*." + entry.Trim());
}
