
namespace Bridge.Forwarding;

/// <summary>What happened to a request to forward content.</summary>
public abstract record ForwardOutcome
{
    private ForwardOutcome()
    {
    }

    public sealed record Accepted(string ForwardId, IReadOnlyList<ChannelLink> Groups) : ForwardOutcome;

    /// <summary>The same request was accepted before; <see cref="Jobs"/> tell how far it got.</summary>
    public sealed record Duplicate(string ForwardId, IReadOnlyList<DeliveryJob> Jobs) : ForwardOutcome;

    public sealed record NotLinked : ForwardOutcome;

    public sealed record WhatsAppNotConfigured : ForwardOutcome;
}
