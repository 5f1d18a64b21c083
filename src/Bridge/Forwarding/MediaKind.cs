namespace Bridge.Forwarding;

/// <summary>How an attachment goes to WhatsApp: as one of its media types, or as a link to the stored copy in a text.</summary>
internal enum MediaKind
{
    Image,
    Video,
    Voice,
    Link,
}
