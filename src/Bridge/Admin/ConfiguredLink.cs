namespace Bridge.Admin;

/// <summary>A link declared in configuration (<c>Links:0:Platform</c>, …), applied at start.</summary>
internal sealed class ConfiguredLink
{
    public const string Section = "Links";

    public string? Platform { get; set; }
    public string? WorkspaceId { get; set; }
    public string? ChannelId { get; set; }
    public string? GroupId { get; set; }
    public string? GroupName { get; set; }
    /// <summary>Defaults to <c>WhatsApp:SessionId</c>.</summary>
    public string? SessionId { get; set; }
}
