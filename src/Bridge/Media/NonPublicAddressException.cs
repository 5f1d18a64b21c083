namespace Bridge.Media;

/// <summary>A download was refused at connect time: its host resolved to a loopback, private or link-local address.</summary>
internal sealed class NonPublicAddressException(string host) : IOException($"{host} resolves to an address that is not public.");
