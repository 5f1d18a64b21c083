using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AngleSharp.Html.Parser;
using Bridge.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Bridge.Tests.Admin;

/// <summary>The keys of the admin sign-in and form cookies (ASP.NET Core Data Protection), at rest.</summary>
public sealed class CookieKeyTests
{
    [Fact]
    public async Task Without_a_certificate_the_log_says_once_where_the_keys_are_stored_unencrypted()
    {
        await using var app = await AdminApp.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await Browser(app).GetAsync("/admin/signin")).StatusCode);

        var keys = Path.Combine(Path.GetDirectoryName(app.DatabasePath)!, "keys");
        var line = Assert.Single(app.Logs, l => l.Contains("[5102]"));
        Assert.Contains($"stored unencrypted in the folder {keys}; set Admin:KeyEncryptionCertificate", line);
        // Data Protection's own warning is replaced by that line.
        Assert.DoesNotContain(app.Logs, l => l.Contains("No XML encryptor configured"));
        Assert.DoesNotContain("encryptedSecret", await KeyFilesAsync(keys));
    }

    [Fact]
    public async Task With_a_certificate_the_keys_are_stored_encrypted_and_signing_in_still_works()
    {
        var pfx = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N") + ".pfx");
        Directory.CreateDirectory(Path.GetDirectoryName(pfx)!);
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=Bridge cookie keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, "pfx-pass"));
        }

        await using var app = await AdminApp.StartAsync(a =>
        {
            a.Settings["Admin:KeyEncryptionCertificate"] = pfx;
            a.Settings["Admin:KeyEncryptionCertificatePassword"] = "pfx-pass";
        });
        var client = Browser(app);
        var form = await client.GetAsync("/admin/signin");
        var token = new HtmlParser().ParseDocument(await form.Content.ReadAsStringAsync())
            .QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var signIn = await client.PostAsync("/admin/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = AdminApp.Key,
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
        var stored = await KeyFilesAsync(Path.Combine(Path.GetDirectoryName(app.DatabasePath)!, "keys"));
        Assert.Contains("encryptedSecret", stored);
        Assert.DoesNotContain(app.Logs, l => l.Contains("[5102]"));
    }

    private static HttpClient Browser(BridgeApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<string> KeyFilesAsync(string folder) =>
        string.Concat(await Task.WhenAll(Directory.GetFiles(folder, "*.xml").Select(f => File.ReadAllTextAsync(f))));
}
