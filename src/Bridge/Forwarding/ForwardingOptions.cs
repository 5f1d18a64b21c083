namespace Bridge.Forwarding;

/// <summary>
/// What the forwarding core needs to know of the rest of Bridge. Not read from configuration: the composition root
/// sets it from WhatsApp's settings, so that Forwarding depends on no other folder.
/// </summary>
internal sealed class ForwardingOptions
{
    /// <summary>Whether WhatsApp can be sent to at all; without it nothing is accepted and no command but help runs.</summary>
    public bool WhatsAppConfigured { get; set; }
}
