using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Bridge.Teams;

/// <summary>
/// Teams is configured with an app id and exactly one credential, or not at all; anything in between stops start-up
/// naming the missing or conflicting key.
/// </summary>
internal sealed class TeamsOptionsValidator : IValidateOptions<TeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsOptions options)
    {
        var missing = options.MissingKeys();
        if (missing.Count == 2)
        {
            return ValidateOptionsResult.Success;
        }

        if (missing.Contains("Teams:AppId"))
        {
            return ValidateOptionsResult.Fail("Teams is half-configured: Teams:AppId is missing (set it with one credential, or set neither).");
        }

        if (missing.Count > 0)
        {
            return ValidateOptionsResult.Fail("Teams is half-configured: Teams:AppPassword is missing "
                + "(or Teams:CertificatePath, Teams:CertificateThumbprint or Teams:ManagedIdentityClientId; or unset Teams:AppId).");
        }

        if (options.CredentialKeys() is { Count: > 1 } credentials)
        {
            return ValidateOptionsResult.Fail($"Teams has more than one credential ({string.Join(", ", credentials)}): keep exactly one.");
        }

        // Entra's issuers and metadata name the tenant by its id: a domain name would make every Entra token fail.
        if (options.HasTenant && !Guid.TryParse(options.TenantId!.Trim(), out _))
        {
            return ValidateOptionsResult.Fail("Teams:TenantId must be the Directory (tenant) ID, a GUID, not a domain name.");
        }

        // Bots registered with a certificate or a managed identity today are single-tenant: their tokens come from their tenant.
        if (string.IsNullOrWhiteSpace(options.AppPassword) && !options.HasTenant)
        {
            return ValidateOptionsResult.Fail($"Teams:TenantId is missing: {options.CredentialKeys()[0]} is for a single-tenant bot.");
        }

        if (!string.IsNullOrWhiteSpace(options.CertificatePath) && !File.Exists(options.CertificatePath))
        {
            return ValidateOptionsResult.Fail("Teams:CertificatePath names a file that does not exist.");
        }

        if (!string.IsNullOrWhiteSpace(options.CertificatePath) || !string.IsNullOrWhiteSpace(options.CertificateThumbprint))
        {
            try
            {
                using var certificate = TeamsCertificate.Load(options);
            }
            catch (CryptographicException exception)
            {
                return ValidateOptionsResult.Fail(exception.Message);
            }
        }

        return ValidateOptionsResult.Success;
    }
}
