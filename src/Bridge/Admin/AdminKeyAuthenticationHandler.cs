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
    AdminKey key,
    AdminKeyGuesses guesses) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminKey";

    // Set when this request's address has used up its wrong keys: the challenge is then a 429, not a 401.
    private TimeSpan? _refusedFor;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        // Checked before the key, so that a throttled guesser cannot tell a right key from a wrong one.
        if (guesses.RefusedFor(Context) is { } wait)
        {
            _refusedFor = wait;
            return AuthenticateResult.Fail("Too many wrong admin keys from this address.");
        }

        if (!await key.MatchesAsync(header["Bearer ".Length..].Trim()))
        {
            guesses.CountWrongKey(Context);
            return AuthenticateResult.Fail("The admin key does not match.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin-api")], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>Missing and wrong keys get the same answer, which says how to authenticate and nothing else.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_refusedFor is { } wait)
        {
            var seconds = AdminKeyGuesses.RetryAfterSeconds(wait);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds;
            await TypedResults.Problem(
                title: "Too many wrong admin keys",
                detail: $"This address presented {AdminKeyGuesses.Limit} wrong admin keys within a minute; try again in {seconds} seconds.",
                statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(Context);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await TypedResults.Problem(
            title: "An admin key is required",
            detail: "Send the admin key as 'Authorization: Bearer <key>'.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }
}
