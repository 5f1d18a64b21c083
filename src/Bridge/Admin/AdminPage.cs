using System.Security.Claims;
using Bridge.Forwarding;
using Bridge.WhatsApp;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Bridge.Admin;

/// <summary>
/// <c>/admin</c>: a server-rendered page signed in with the admin key (an HttpOnly, SameSite=Strict cookie), every
/// form protected by ASP.NET Core antiforgery. Its stylesheet and script are served from the assembly.
/// </summary>
internal static partial class AdminPage
{
    public const string FingerprintClaim = "bridge:admin-key";
    private const string HtmlType = "text/html; charset=utf-8";

    public static IEndpointRouteBuilder MapAdminPage(this IEndpointRouteBuilder app)
    {
        var page = app.MapGroup("/admin").ExcludeFromDescription().AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.ContentSecurityPolicy =
                "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            return await next(context);
        });

        page.MapGet("", DashboardAsync).RequireAuthorization(AdminServiceCollectionExtensions.PagePolicy);
        page.MapGet("/signin", SignInForm);

        // Every form posts here; each post is checked explicitly, whether or not its handler binds form fields.
        var forms = page.MapGroup("").DisableAntiforgery().AddEndpointFilter(RequireAntiforgeryAsync);
        forms.MapPost("/signin", SignInAsync);
        forms.MapPost("/signout", SignOutAsync).RequireAuthorization(AdminServiceCollectionExtensions.PagePolicy);
        forms.MapPost("/links", AddLinkAsync).RequireAuthorization(AdminServiceCollectionExtensions.PagePolicy);
        forms.MapPost("/links/{id}/edit", EditLinkAsync).RequireAuthorization(AdminServiceCollectionExtensions.PagePolicy);
        forms.MapPost("/links/{id}/remove", RemoveLinkAsync).RequireAuthorization(AdminServiceCollectionExtensions.PagePolicy);
        forms.MapPost("/deliveries/{id:long}/retry", RetryDeliveryAsync).RequireAuthorization(AdminServiceCollectionExtensions.PagePolicy);
        forms.MapPost("/schedules/{id}/cancel", CancelScheduleAsync).RequireAuthorization(AdminServiceCollectionExtensions.PagePolicy);
        // The same export as the API's, for the signed-in page: its "Download CSV" link carries the search.
        page.MapGet("/deliveries.csv", AdminApi.ExportDeliveries).RequireAuthorization(AdminServiceCollectionExtensions.PagePolicy);
        page.MapGet("/live/deliveries", RecentDeliveriesAsync).RequireAuthorization(AdminServiceCollectionExtensions.PagePolicy);
        page.MapGet("/assets/{name}", AdminAssets.Serve);
        app.MapGet("/favicon.ico", AdminAssets.Favicon).ExcludeFromDescription();
        return app;
    }

    private static async ValueTask<object?> RequireAntiforgeryAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http)
            ? await next(context)
            : Page(AdminPageView.Expired(), StatusCodes.Status400BadRequest);
    }

    private static Task<ContentHttpResult> DashboardAsync(
        HttpContext context, AdminDashboard dashboard, TalkNTalkClient whatsApp, string? done, bool? refresh, [AsParameters] DeliveryFilter search,
        CancellationToken cancellationToken)
    {
        // Phones and groups are read again when the admin asks; otherwise as read within the last 30 s.
        if (refresh == true)
        {
            whatsApp.ForgetLookups();
        }

        return dashboard.RenderAsync(context, done switch
        {
            "linked" => "Link added.",
            "paused" => "Link paused: nothing is sent to its group until it is resumed.",
            "resumed" => "Link resumed.",
            "approval-required" => "Every send to this link's group now waits for its preview to be approved.",
            "approval-not-required" => "Sends to this link's group wait for approval only when the group is big (Approval:MinParticipants).",
            "changed" => "Link changed.",
            "unlinked" => "Link removed.",
            "retried" => "Sent again: the retry is at the end of its group's queue, and the thread will get its outcome.",
            "cancelled" => "Scheduled send cancelled: it will not be sent, and its thread was told.",
            _ => null,
        }, error: null, StatusCodes.Status200OK, new LinkForm(), cancellationToken, search);
    }

    /// <summary>The table's rows alone, for admin.js to refresh it without reloading the page.</summary>
    private static async Task<ContentHttpResult> RecentDeliveriesAsync(
        HttpContext context, IAntiforgery antiforgery, AdminDashboard dashboard, [AsParameters] DeliveryFilter search, CancellationToken cancellationToken)
    {
        var (deliveries, problem) = await dashboard.SearchAsync(search, cancellationToken);
        return Page(AdminPageView.DeliveryRows(deliveries, search, AntiforgeryField(context, antiforgery)),
            problem is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<Results<RedirectHttpResult, ContentHttpResult>> RetryDeliveryAsync(
        HttpContext context, long id, [FromForm] string? confirm, DeliveryRetry retry, AdminDashboard dashboard, CancellationToken cancellationToken) =>
        await retry.RetryAsync(id, AdminApi.RetriedBy(context, "admin-page"), confirm == "true", cancellationToken) switch
        {
            RetryOutcome.Retried => TypedResults.Redirect("/admin?done=retried#deliveries"),
            RetryOutcome.Refused refused => await dashboard.RenderAsync(context, null, refused.Sentence, StatusCodes.Status409Conflict, new LinkForm(), cancellationToken),
            _ => await dashboard.RenderAsync(context, null, $"No delivery has the id {id}.", StatusCodes.Status404NotFound, new LinkForm(), cancellationToken),
        };

    private static async Task<Results<RedirectHttpResult, ContentHttpResult>> CancelScheduleAsync(
        HttpContext context, string id, ScheduledSends schedules, AdminDashboard dashboard, CancellationToken cancellationToken)
    {
        if (await schedules.CancelAsync(id, AdminApi.AdminCanceller, cancellationToken) is not null)
        {
            return TypedResults.Redirect("/admin?done=cancelled#schedules");
        }

        var problem = await AdminApi.NotCancelledAsync(id, schedules, cancellationToken);
        return await dashboard.RenderAsync(context, null, problem.ProblemDetails.Detail, problem.StatusCode, new LinkForm(), cancellationToken);
    }

    private static ContentHttpResult SignInForm(HttpContext context, IAntiforgery antiforgery, string? done) =>
        SignInPage(context, antiforgery, done == "signedout" ? "You are signed out." : null, null, StatusCodes.Status200OK);

    private static async Task<Results<RedirectHttpResult, ContentHttpResult>> SignInAsync(
        HttpContext context, [FromForm] string? key, AdminKey adminKey, AdminKeyGuesses guesses, AdminSessions sessions, IAntiforgery antiforgery, ILogger<AdminKey> logger)
    {
        // Checked before the key, so that a throttled guesser cannot tell a right key from a wrong one.
        if (guesses.RefusedFor(context) is { } wait)
        {
            var seconds = AdminKeyGuesses.RetryAfterSeconds(wait);
            context.Response.Headers.RetryAfter = seconds;
            return SignInPage(context, antiforgery, null,
                $"Too many wrong keys were tried from your address; try again in {seconds} seconds.", StatusCodes.Status429TooManyRequests);
        }

        if (!await adminKey.MatchesAsync(key?.Trim()))
        {
            guesses.CountWrongKey(context);
            Log.SignInRefused(logger);
            return SignInPage(context, antiforgery, null, "That key is not the admin key.", StatusCodes.Status401Unauthorized);
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "admin"), new Claim(FingerprintClaim, await adminKey.FingerprintAsync()), .. sessions.Start()],
            AdminServiceCollectionExtensions.CookieScheme);
        await context.SignInAsync(AdminServiceCollectionExtensions.CookieScheme, new ClaimsPrincipal(identity));
        Log.SignedIn(logger);
        return TypedResults.Redirect("/admin");
    }

    private static async Task<RedirectHttpResult> SignOutAsync(HttpContext context, AdminSessions sessions, ILogger<AdminKey> logger)
    {
        await sessions.EndAsync(context.User, context.RequestAborted);
        await context.SignOutAsync(AdminServiceCollectionExtensions.CookieScheme);
        Log.SignedOut(logger);
        return TypedResults.Redirect("/admin/signin?done=signedout");
    }

    private static async Task<Results<RedirectHttpResult, ContentHttpResult>> AddLinkAsync(
        HttpContext context,
        [FromForm] string? platform,
        [FromForm] string? workspaceId,
        [FromForm] string? channelId,
        [FromForm] string? group,
        LinkEditor links,
        AdminDashboard dashboard,
        CancellationToken cancellationToken)
    {
        var form = new LinkForm(platform, workspaceId, channelId, group);
        var parts = (group ?? "").Split(GroupChoice.Separator, 2);
        if (parts.Length != 2)
        {
            return await dashboard.RenderAsync(context, null, null, StatusCodes.Status400BadRequest,
                form with { Errors = [new("Group", "Pick the WhatsApp group from the list.")] }, cancellationToken);
        }

        var result = await links.CreateAsync(new CreateLinkRequest(platform, workspaceId, channelId, parts[1], parts[0]), "admin-page", cancellationToken);
        return result.Refusal is { } refusal
            ? await dashboard.RenderAsync(context, null, null, refusal.Status, form with { Errors = LinkForm.ErrorsOf(refusal) }, cancellationToken)
            : TypedResults.Redirect("/admin?done=linked");
    }

    /// <summary>
    /// One form per change: a pause or resume button posts <paramref name="paused"/> alone, the approval button
    /// <paramref name="requiresApproval"/> alone, the group picker
    /// <paramref name="group"/> alone (session and group in one value, as in the add form).
    /// </summary>
    private static async Task<Results<RedirectHttpResult, ContentHttpResult>> EditLinkAsync(
        HttpContext context,
        string id,
        [FromForm] string? group,
        [FromForm] string? paused,
        [FromForm] string? requiresApproval,
        LinkEditor links,
        AdminDashboard dashboard,
        CancellationToken cancellationToken)
    {
        var parts = group?.Split(GroupChoice.Separator, 2);
        if (parts is not null && parts.Length != 2)
        {
            return await dashboard.RenderAsync(context, null, null, StatusCodes.Status400BadRequest,
                new LinkForm(EditedLinkId: id, Errors: [new("Group", "Pick the WhatsApp group from the list.")]), cancellationToken);
        }

        var pause = bool.TryParse(paused, out var value) ? value : (bool?)null;
        var approval = bool.TryParse(requiresApproval, out var required) ? required : (bool?)null;
        var result = await links.UpdateAsync(id, new UpdateLinkRequest(parts?[1], pause, parts?[0], approval), cancellationToken);
        if (result.Refusal is { } refusal)
        {
            return await dashboard.RenderAsync(context, null, null, refusal.Status,
                new LinkForm(EditedLinkId: id, Errors: LinkForm.ErrorsOf(refusal)), cancellationToken);
        }

        var done = parts is not null ? "changed"
            : approval is not null ? (result.Link!.RequiresApproval ? "approval-required" : "approval-not-required")
            : result.Link!.Paused ? "paused" : "resumed";
        return TypedResults.Redirect($"/admin?done={done}#links");
    }

    private static async Task<Results<RedirectHttpResult, ContentHttpResult>> RemoveLinkAsync(
        HttpContext context, string id, LinkEditor links, AdminDashboard dashboard, CancellationToken cancellationToken) =>
        await links.RemoveAsync(id, cancellationToken)
            ? TypedResults.Redirect("/admin?done=unlinked")
            : await dashboard.RenderAsync(context, null, "That link no longer exists.", StatusCodes.Status404NotFound, new LinkForm(), cancellationToken);

    private static ContentHttpResult SignInPage(HttpContext context, IAntiforgery antiforgery, string? notice, string? error, int status) =>
        TypedResults.Content(AdminPageView.SignIn(AntiforgeryField(context, antiforgery), notice, error).Value, HtmlType, statusCode: status);

    internal static Html AntiforgeryField(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return Html.Of($"""<input type="hidden" name="{tokens.FormFieldName}" value="{tokens.RequestToken}">""");
    }

    internal static ContentHttpResult Page(Html html, int status) => TypedResults.Content(html.Value, HtmlType, statusCode: status);

    private static partial class Log
    {
        [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Admin page: signed in")]
        public static partial void SignedIn(ILogger logger);

        [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Admin page: a sign-in with a wrong key was refused")]
        public static partial void SignInRefused(ILogger logger);

        [LoggerMessage(EventId = 5203, Level = LogLevel.Information, Message = "Admin page: signed out")]
        public static partial void SignedOut(ILogger logger);
    }
}
