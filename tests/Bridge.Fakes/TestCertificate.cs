using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bridge.Fakes;

/// <summary>Self-signed certificates with their private keys, made per run: for fakes served over TLS and for client credentials.</summary>
internal static class TestCertificate
{
    /// <param name="forLoopbackServer">Adds the name 127.0.0.1 and the server-authentication usage.</param>
    public static X509Certificate2 Create(string subject, bool forLoopbackServer)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (forLoopbackServer)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        }

        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // A PFX round trip gives Kestrel and MSAL a key they can use on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
