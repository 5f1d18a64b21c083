using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
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
    public static IServiceCollection AddAdmin(this IServiceCollection services, Func<IServiceProvider, IXmlRepository> keys)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        services.AddSingleton<AdminKey>();
        services.AddSingleton<LinkEditor>();
        services.AddSingleton<DeliveryHistory>();
        services.AddSingleton<SetupChecker>();
        services.AddSingleton<AdminDashboard>();
        services.AddHostedService<AdminStartup>();
        services.AddDataProtection();
        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider>((options, sp) => options.XmlRepository = keys(sp));

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
                    // A changed admin key ends the sessions signed in with the old one.
                    var key = context.HttpContext.RequestServices.GetRequiredService<AdminKey>();
                    if (context.Principal?.FindFirst(AdminPage.FingerprintClaim)?.Value != await key.FingerprintAsync())
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
        services.AddOpenApi();
        return services;
    }
}
