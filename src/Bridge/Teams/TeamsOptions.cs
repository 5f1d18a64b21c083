namespace Bridge.Teams;

public sealed class TeamsOptions
{
    public const string Section = "Teams";

    public static readonly Uri DefaultOpenIdMetadataUrl = new("https://login.botframework.com/v1/.well-known/openidconfiguration");

    /// <summary>The Microsoft App ID of the bot registration: the audience of inbound tokens.</summary>
    public string? AppId { get; set; }
    /// <summary>The client secret of the app registration, for the client-credentials token that replies use.</summary>
    public string? AppPassword { get; set; }
    /// <summary>Set for a single-tenant registration; empty means multi-tenant (tokens from botframework.com).</summary>
    public string? TenantId { get; set; }
    public Uri OpenIdMetadataUrl { get; set; } = DefaultOpenIdMetadataUrl;
    /// <summary>When empty: the tenant's token endpoint with <see cref="TenantId"/>, else Bot Framework's.</summary>
    public Uri? TokenEndpoint { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(AppPassword);

    public Uri EffectiveTokenEndpoint => TokenEndpoint ?? new Uri(
        $"https://login.microsoftonline.com/{(string.IsNullOrWhiteSpace(TenantId) ? "botframework.com" : Uri.EscapeDataString(TenantId.Trim()))}/oauth2/v2.0/token");

    /// <summary>The keys still missing, for the start-up report and the half-configured check.</summary>
    public IReadOnlyList<string> MissingKeys() =>
    [
        .. string.IsNullOrWhiteSpace(AppId) ? ["Teams:AppId"] : Array.Empty<string>(),
        .. string.IsNullOrWhiteSpace(AppPassword) ? ["Teams:AppPassword"] : Array.Empty<string>(),
    ];
}
