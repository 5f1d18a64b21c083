using System.ComponentModel.DataAnnotations;

namespace Bridge.Admin;

internal sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>The shortest key accepted: shorter ones can be guessed (a generated key has 43 characters).</summary>
    public const int MinimumKeyLength = 32;

    /// <summary>Bearer key for <c>/admin/api</c> and the admin page; generated at first start when empty.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// How long an admin page session lasts after sign-in, however active it is (the cookie itself expires after
    /// 8 hours without use).
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// A PKCS#12 (.pfx) file whose certificate encrypts the keys of the sign-in and form cookies at rest; without it
    /// they are stored as plain XML (ASP.NET Core Data Protection,
    /// https://learn.microsoft.com/aspnet/core/security/data-protection/implementation/key-encryption-at-rest).
    /// </summary>
    public string? KeyEncryptionCertificate { get; set; }

    /// <summary>The password of <see cref="KeyEncryptionCertificate"/>, if it has one.</summary>
    public string? KeyEncryptionCertificatePassword { get; set; }
}
