namespace Bridge.Forwarding;

/// <summary>A file to forward. It is fetched from <see cref="SourceUrl"/> before the first send and kept in the store.</summary>
internal sealed class Attachment
{
    public string Name { get; set; } = "";
    /// <summary>The file's MIME type, or empty when it is known only once the file is fetched.</summary>
    public string MimeType { get; set; } = "";
    public long? Size { get; set; }
    public string SourceUrl { get; set; } = "";
    public MediaKind Kind { get; set; }
    /// <summary>Id of the stored copy once fetched.</summary>
    public string? MediaId { get; set; }
}
