namespace Bridge.Media;

/// <summary>The <c>Bridge</c> section: how this service is reached from outside, and what happens to files WhatsApp cannot take.</summary>
internal sealed class BridgeOptions
{
    public const string Section = "Bridge";

    /// <summary>The public URL of this service; WhatsApp fetches re-hosted files under it. Without it, files are not forwarded.</summary>
    public Uri? PublicBaseUrl { get; set; }
    public UnsupportedMediaPolicy UnsupportedMedia { get; set; } = UnsupportedMediaPolicy.Link;
}
