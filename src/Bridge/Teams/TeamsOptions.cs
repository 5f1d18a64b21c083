namespace Bridge.Teams;

internal sealed class TeamsOptions
{
    public const string Section = "Teams";
    /// <summary>The key of <see cref="AdminUserIds"/>, kept under Admin where it has always been.</summary>
    public const string AdminUserIdsKey = "Admin:TeamsUserIds";

    public static readonly Uri DefaultOpenIdMetadataUrl = new("https://login.botframework.com/v1/.well-known/openidconfiguration");
    public static readonly Uri DefaultAuthorityHost = new("https://login.microsoftonline.com/");

    /// <summary>The Microsoft App ID of the bot registration: the audience of inbound tokens.</summary>
    public string? AppId { get; set; }
    /// <summary>The client secret of the app registration, for the client-credentials token that replies use.</summary>
    public string? AppPassword { get; set; }
    /// <summary>A PFX (or PEM with its key) file holding the app registration's certificate, instead of a secret.</summary>
    public string? CertificatePath { get; set; }
    /// <summary>The password of <see cref="CertificatePath"/>, when the file has one.</summary>
    public string? CertificatePassword { get; set; }
    /// <summary>The thumbprint of the app registration's certificate in the CurrentUser or LocalMachine "My" store.</summary>
    public string? CertificateThumbprint { get; set; }
    /// <summary>The client id of the user-assigned managed identity of a bot registered as UserAssignedMSI.</summary>
    public string? ManagedIdentityClientId { get; set; }
    /// <summary>Set for a single-tenant registration; empty means a legacy multi-tenant bot (Bot Framework tokens only).</summary>
    public string? TenantId { get; set; }
    /// <summary>The Entra host: the tenant's OpenID metadata and token authority are under it.</summary>
    public Uri AuthorityHost { get; set; } = DefaultAuthorityHost;
    public Uri OpenIdMetadataUrl { get; set; } = DefaultOpenIdMetadataUrl;
    /// <summary>When empty: <c>{AuthorityHost}{TenantId or botframework.com}/oauth2/v2.0/token</c>.</summary>
    public Uri? TokenEndpoint { get; set; }
    /// <summary>Service hosts allowed besides the Bot Connector's own (<see cref="TeamsServiceHosts.Defaults"/>).</summary>
    public string[] AllowedServiceHosts { get; set; } = [];
    /// <summary>The AAD object ids of who may link and unlink (<see cref="AdminUserIdsKey"/>). Not bound from the Teams section (internal set).</summary>
    public string[] AdminUserIds { get; internal set; } = [];

    public bool HasTenant => !string.IsNullOrWhiteSpace(TenantId);

    /// <summary>The credential settings that are set; exactly one is valid.</summary>
    public IReadOnlyList<string> CredentialKeys() =>
    [
        .. string.IsNullOrWhiteSpace(AppPassword) ? Array.Empty<string>() : ["Teams:AppPassword"],
        .. string.IsNullOrWhiteSpace(CertificatePath) ? Array.Empty<string>() : ["Teams:CertificatePath"],
        .. string.IsNullOrWhiteSpace(CertificateThumbprint) ? Array.Empty<string>() : ["Teams:CertificateThumbprint"],
        .. string.IsNullOrWhiteSpace(ManagedIdentityClientId) ? Array.Empty<string>() : ["Teams:ManagedIdentityClientId"],
    ];

    public bool IsConfigured => MissingKeys().Count == 0;

    /// <summary>The keys still missing, for the start-up report and the half-configured check.</summary>
    public IReadOnlyList<string> MissingKeys() =>
    [
        .. string.IsNullOrWhiteSpace(AppId) ? ["Teams:AppId"] : Array.Empty<string>(),
        .. CredentialKeys().Count == 0 ? ["Teams:AppPassword"] : Array.Empty<string>(),
    ];

    /// <summary>The single-tenant authority with <see cref="TenantId"/>, else the Bot Framework tenant of legacy multi-tenant bots.</summary>
    public Uri EffectiveTokenEndpoint => TokenEndpoint ?? new Uri(
        AuthorityHost, $"{(HasTenant ? Uri.EscapeDataString(TenantId!.Trim()) : "botframework.com")}/oauth2/v2.0/token");

    /// <summary>The tenant's Entra OpenID metadata, where the keys of Entra-issued inbound tokens come from.</summary>
    public Uri EntraOpenIdMetadataUrl => new(AuthorityHost, $"{Uri.EscapeDataString(TenantId?.Trim() ?? "")}/v2.0/.well-known/openid-configuration");
}
