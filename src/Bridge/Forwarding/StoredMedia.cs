namespace Bridge.Forwarding;

/// <summary>A file kept in the store for WhatsApp to fetch; <see cref="Length"/> is known once it is saved.</summary>
internal sealed record StoredMedia(string Id, string FileName, string ContentType, DateTimeOffset ExpiresAt, long Length = 0);
