namespace Bridge.Forwarding;

internal enum DeliveryStatus
{
    Pending,
    /// <summary>A request to WhatsApp is in flight. Found at start-up, it means the outcome is unknown.</summary>
    Sending,
    Delivered,
    Failed,
    /// <summary>The request may have been taken (timeout after sending, crash mid-send): reported, never repeated.</summary>
    Unknown,
}
