using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bridge.Teams;

/// <summary>
/// The app registration's certificate with its private key, from <c>Teams:CertificatePath</c> or
/// <c>Teams:CertificateThumbprint</c>. Loaded at start by <see cref="TeamsOptionsValidator"/>, so a wrong password or
/// a missing certificate stops Bridge then rather than at the first reply.
/// </summary>
internal static class TeamsCertificate
{
    /// <summary>The certificate, or a <see cref="CryptographicException"/> whose message names the key and the reason (never the password).</summary>
    public static X509Certificate2 Load(TeamsOptions teams) =>
        string.IsNullOrWhiteSpace(teams.CertificatePath)
            ? FromStore(teams.CertificateThumbprint!.Replace(" ", "").Trim())
            : FromFile(teams.CertificatePath, teams.CertificatePassword);

    private static X509Certificate2 FromFile(string path, string? password)
    {
        var pem = Path.GetExtension(path).ToLowerInvariant() is ".pem" or ".crt";
        X509Certificate2 certificate;
        try
        {
            certificate = pem ? X509Certificate2.CreateFromPemFile(path) : X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new CryptographicException(pem
                ? "Teams:CertificatePath could not be read: a .pem or .crt file must hold the certificate and its unencrypted private key."
                : "Teams:CertificatePath could not be opened with Teams:CertificatePassword: the password is wrong, or the file is not a readable PFX.");
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CryptographicException("Teams:CertificatePath holds no private key: export the certificate with its key.");
        }

        return certificate;
    }

    private static X509Certificate2 FromStore(string thumbprint)
    {
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.My, location);
            try
            {
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            }
            catch (CryptographicException)
            {
                // A store that does not exist (LocalMachine on Linux) holds no certificate.
                continue;
            }

            var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
            if (found.FirstOrDefault(c => c.HasPrivateKey) is { } certificate)
            {
                return certificate;
            }
        }

        throw new CryptographicException("Teams:CertificateThumbprint names no certificate with its private key in the CurrentUser or LocalMachine My store.");
    }
}
