namespace Bridge.Forwarding;

/// <summary>A file to forward. It is fetched from <see cref="SourceUrl"/> before the first send and kept in the store.</summary>
public sealed class Attachment
{
    public string Name { get; set; } = "";
    public string MimeType { get; set; } = "";
    public long? Size { get; set; }
    public string SourceUrl { get; set; } = "";
    /// <summary>How it is sent: <c>image</c>, <c>video</c>, <c>voice</c>, or <c>link</c> (a text with a link to the stored copy).</summary>
    public string Kind { get; set; } = "";
    /// <summary>Id of the stored copy once fetched.</summary>
    public string? MediaId { get; set; }
}
