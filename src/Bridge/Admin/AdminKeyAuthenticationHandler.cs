using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Bridge.Admin;

/// <summary>The <c>/admin/api</c> scheme: <c>Authorization: Bearer &lt;admin key&gt;</c> on every call.</summary>
internal sealed class AdminKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminKey key) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        if (!await key.MatchesAsync(header["Bearer ".Length..].Trim()))
        {
            return AuthenticateResult.Fail("The admin key does not match.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin-api")], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>Missing and wrong keys get the same answer, which says how to authenticate and nothing else.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await TypedResults.Problem(
            title: "An admin key is required",
            detail: "Send the admin key as 'Authorization: Bearer <key>'.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }
}
