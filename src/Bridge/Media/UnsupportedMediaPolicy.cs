namespace Bridge.Media;

/// <summary><c>Bridge:UnsupportedMedia</c>: what happens to a file WhatsApp groups cannot take as media (PDF, archive, …).</summary>
internal enum UnsupportedMediaPolicy
{
    /// <summary>Sent as a text message with a signed link to the stored copy.</summary>
    Link,
    /// <summary>Not sent; the reply says so.</summary>
    Reject,
}
