namespace Bridge.Admin;

/// <summary>
/// One integration's state: <c>ok</c>, <c>not-configured</c>, <c>unreachable</c>, <c>needs-attention</c> or <c>failing</c>
/// (a credential or permission is refused, so replies are lost until an admin acts), what was
/// found, and what to do about it when it is not ok.
/// </summary>
internal sealed record IntegrationStatus(string Name, string State, string Summary, string? Fix)
{
    public const string Ok = "ok";
    public const string NotConfigured = "not-configured";
    public const string Unreachable = "unreachable";
    public const string NeedsAttention = "needs-attention";
    public const string Failing = "failing";
}
