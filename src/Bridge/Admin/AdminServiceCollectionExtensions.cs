using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Bridge.Admin;

internal static class AdminServiceCollectionExtensions
{
    public const string CookieScheme = "AdminCookie";
    public const string ApiPolicy = "AdminApi";
    public const string PagePolicy = "AdminPage";

    /// <param name="keys">
    /// Where the keys of the sign-in and form cookies are kept, so that sessions stay valid across restarts and replicas.
    /// </param>
    /// <param name="keys">Where the Data Protection keys are kept.</param>
    /// <param name="dataFolder">Bridge's data folder, where a generated admin key is written (<see cref="AdminKey.KeyFileName"/>).</param>
    public static IServiceCollection AddAdmin(
        this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, IXmlRepository> keys, Func<IServiceProvider, string> dataFolder)
    {
        // Opened once: the check below and the key ring use the same certificate.
        var certificate = KeyEncryptionCertificate(configuration);
        services.AddOptions<AdminOptions>()
            .BindConfiguration(AdminOptions.Section)
            .ValidateDataAnnotations()
            .Validate(
                o => string.IsNullOrWhiteSpace(o.ApiKey) || o.ApiKey.Trim().Length >= AdminOptions.MinimumKeyLength,
                $"Admin:ApiKey must be at least {AdminOptions.MinimumKeyLength} characters long; use a long random value (e.g. `openssl rand -base64 32`), or leave it empty and Bridge generates one.")
            .Validate(
                o => string.IsNullOrWhiteSpace(o.KeyEncryptionCertificate) || certificate is not null,
                "Admin:KeyEncryptionCertificate must name a .pfx file that opens with Admin:KeyEncryptionCertificatePassword.")
            .ValidateOnStart();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<AdminKey>(sp, Path.Combine(dataFolder(sp), AdminKey.KeyFileName)));
        services.AddSingleton<AdminKeyGuesses>();
        services.AddSingleton<AdminSessions>();
        services.AddSingleton<LinkEditor>();
        services.AddSingleton<ChannelNames>();
        services.AddSingleton<DeliveryHistory>();
        services.AddSingleton<SetupChecker>();
        services.AddSingleton<AdminDashboard>();
        services.AddHostedService<AdminStartup>();
        var dataProtection = services.AddDataProtection();
        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider>((options, sp) => options.XmlRepository = keys(sp));
        if (certificate is not null)
        {
            // Encrypts each new key with the certificate and decrypts with it
            // (https://learn.microsoft.com/aspnet/core/security/data-protection/implementation/key-encryption-at-rest).
            dataProtection.ProtectKeysWithCertificate(certificate);
        }

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AdminKeyAuthenticationHandler>(AdminKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = "bridge_admin";
                options.Cookie.Path = "/admin";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.LoginPath = "/admin/signin";
                options.Events.OnRedirectToLogin = context =>
                {
                    // The page's script gets a status it can act on; people get the sign-in form (no return URL to forge).
                    if (context.Request.Path.StartsWithSegments("/admin/live"))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    }
                    else
                    {
                        context.Response.Redirect("/admin/signin");
                    }

                    return Task.CompletedTask;
                };
                options.Events.OnValidatePrincipal = async context =>
                {
                    // A changed admin key ends the sessions signed in with the old one; a session past its lifetime
                    // or signed out ends too.
                    var services = context.HttpContext.RequestServices;
                    var key = services.GetRequiredService<AdminKey>();
                    if (context.Principal is not { } principal
                        || principal.FindFirst(AdminPage.FingerprintClaim)?.Value != await key.FingerprintAsync()
                        || !await services.GetRequiredService<AdminSessions>().IsActiveAsync(principal, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                    }
                };
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(AdminKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(PagePolicy, policy => policy.AddAuthenticationSchemes(CookieScheme).RequireAuthenticatedUser());

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "bridge_admin_form";
            options.Cookie.Path = "/admin";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddOpenApi(AdminOpenApi.Configure);
        return services;
    }

    /// <summary>The certificate of Admin:KeyEncryptionCertificate; null when none is set or the file does not open (a start-up check names it).</summary>
    private static X509Certificate2? KeyEncryptionCertificate(IConfiguration configuration)
    {
        var options = configuration.GetSection(AdminOptions.Section).Get<AdminOptions>();
        if (string.IsNullOrWhiteSpace(options?.KeyEncryptionCertificate))
        {
            return null;
        }

        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(options.KeyEncryptionCertificate, options.KeyEncryptionCertificatePassword);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
