namespace Bridge.Media;

/// <summary>A stored file as WhatsApp fetches it: its signed URL, its content type and the name people see.</summary>
internal sealed record PublishedFile(string Url, string ContentType, string Name);
