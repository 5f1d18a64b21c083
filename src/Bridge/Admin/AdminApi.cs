using Bridge.Forwarding;
using Bridge.WhatsApp;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Bridge.Admin;

/// <summary><c>/admin/api</c>: links, phones, groups, delivery history and setup status, behind the admin key.</summary>
internal static class AdminApi
{
    /// <summary>Who cancelled, as the thread and the list show it: there is one admin key, so no name.</summary>
    internal const string AdminCanceller = "a Bridge admin";

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/admin/api")
            .RequireAuthorization(AdminServiceCollectionExtensions.ApiPolicy)
            .WithTags("Admin")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapGet("/links", ListLinksAsync).WithSummary("Lists links, filtered by platform, channel id and group chat_id.");
        api.MapGet("/links/{id}", GetLinkAsync).WithName("GetLink").WithSummary("One link.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/links", CreateLinkAsync).WithSummary("Links a channel to a WhatsApp group.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPatch("/links/{id}", UpdateLinkAsync).WithSummary("Changes a link's WhatsApp group (on its session), pauses or resumes it.")
            .Produces<LinkView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapDelete("/links/{id}", DeleteLinkAsync).WithSummary("Removes a link.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/phones", ListPhonesAsync).WithSummary("The organisation's WhatsApp phones (sessions) and their status, as read within 30 s unless refresh=true.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/groups", ListGroupsAsync).WithSummary("The groups of a session (default: WhatsApp:SessionId), every page, filtered by name, as read within 30 s unless refresh=true.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/deliveries", ListDeliveriesAsync).WithSummary("The delivery history, newest first, filtered and paged.");
        api.MapGet("/deliveries.csv", ExportDeliveries)
            .WithSummary("The delivery history as CSV for audits, newest first: every delivery the filters match (paging aside), streamed.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesValidationProblem();
        api.MapGet("/deliveries/{id:long}", GetDeliveryAsync).WithName("GetDelivery").WithSummary("One delivery, with each of its attempts.")
            .Produces<DeliveryView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/deliveries/{id:long}/retry", RetryDeliveryAsync)
            .WithSummary("Sends a failed or possibly delivered delivery again, as a new delivery at the end of its group's queue; the thread gets its outcome. A possibly delivered one needs {\"confirm\": true} (or ?confirm=true): it may send the message twice.")
            .Produces<DeliveryView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/schedules", ListSchedulesAsync).WithSummary("Scheduled sends: those still to go, in the order they go, and the latest 50 sent or cancelled.");
        api.MapPost("/schedules/{id}/cancel", CancelScheduleAsync)
            .WithSummary("Cancels a scheduled send that is still pending; its thread is told. A schedule already sent or cancelled is a 409.")
            .Produces<ScheduleView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/store/rebuild", RebuildStoreAsync).WithSummary("Rewrites the store file compactly; accepts wait meanwhile (seconds for a large file).")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/setup", CheckSetupAsync).WithSummary("Which integrations are configured and reachable, and what to fix.");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<LinkView>>, ValidationProblem>> ListLinksAsync(
        ILinkStore store, string? platform, string? channel, string? group, CancellationToken cancellationToken)
    {
        var parsed = platform is null ? null : LinkEditor.ParsePlatform(platform);
        if (platform is not null && parsed is null)
        {
            return Invalid("platform", "platform must be Slack or Teams.");
        }

        IReadOnlyList<LinkView> links = (await store.ListLinksAsync(parsed, Blank(channel), Blank(group), cancellationToken)).Select(LinkView.From).ToList();
        return TypedResults.Ok(links);
    }

    private static async Task<Results<Ok<LinkView>, ProblemHttpResult>> GetLinkAsync(ILinkStore store, string id, CancellationToken cancellationToken) =>
        (await store.ListLinksAsync(null, null, null, cancellationToken)).FirstOrDefault(l => l.Id == id) is { } link
            ? TypedResults.Ok(LinkView.From(link))
            : UnknownLink(id);

    private static async Task<Results<Created<LinkView>, ValidationProblem, ProblemHttpResult>> CreateLinkAsync(
        CreateLinkRequest request, LinkEditor links, CancellationToken cancellationToken)
    {
        var result = await links.CreateAsync(request, "admin-api", cancellationToken);
        if (result.Refusal is { } refusal)
        {
            return refusal.Errors.Count > 0 ? Invalid(refusal) : Problem(refusal);
        }

        var view = LinkView.From(result.Link!);
        return TypedResults.Created($"/admin/api/links/{Uri.EscapeDataString(view.Id)}", view);
    }

    private static async Task<Results<Ok<LinkView>, ValidationProblem, ProblemHttpResult>> UpdateLinkAsync(
        string id, UpdateLinkRequest request, LinkEditor links, CancellationToken cancellationToken)
    {
        var result = await links.UpdateAsync(id, request, cancellationToken);
        if (result.Refusal is { } refusal)
        {
            return refusal.Errors.Count > 0 ? Invalid(refusal) : Problem(refusal);
        }

        return TypedResults.Ok(LinkView.From(result.Link!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteLinkAsync(LinkEditor links, string id, CancellationToken cancellationToken) =>
        await links.RemoveAsync(id, cancellationToken) ? TypedResults.NoContent() : UnknownLink(id);

    private static async Task<Results<Ok<IReadOnlyList<PhoneView>>, ProblemHttpResult>> ListPhonesAsync(
        TalkNTalkClient whatsApp, IOptions<WhatsAppOptions> options, bool? refresh, CancellationToken cancellationToken)
    {
        if (!options.Value.IsConfigured)
        {
            return Problem(WhatsAppProblems.NotConfigured);
        }

        if (refresh == true)
        {
            whatsApp.ForgetLookups();
        }

        try
        {
            var phones = await whatsApp.ListPhonesAsync(cancellationToken);
            IReadOnlyList<PhoneView> views = phones
                .Select(p => new PhoneView(p.ChatId, p.Name, p.Status, p.PhoneNumber, p.IsOpen, p.ChatId == options.Value.SessionId))
                .ToList();
            return TypedResults.Ok(views);
        }
        catch (TalkNTalkException exception)
        {
            return Problem(WhatsAppProblems.Refusal(exception, "list the phones"));
        }
    }

    private static async Task<Results<Ok<GroupList>, ValidationProblem, ProblemHttpResult>> ListGroupsAsync(
        TalkNTalkClient whatsApp, IOptions<WhatsAppOptions> options, string? session, string? name, bool? refresh, CancellationToken cancellationToken)
    {
        if (!options.Value.IsConfigured)
        {
            return Problem(WhatsAppProblems.NotConfigured);
        }

        var sessionId = Blank(session) ?? options.Value.SessionId!;
        if (!SessionId.IsValid(sessionId))
        {
            return Invalid("session", $"session must be a TalkNTalk phone chat_id: {SessionId.Form}.");
        }

        if (refresh == true)
        {
            whatsApp.ForgetLookups();
        }

        try
        {
            var groups = await whatsApp.ListGroupsAsync(sessionId, cancellationToken);
            var filter = Blank(name);
            var views = groups
                .Where(g => filter is null || (g.Name ?? "").Contains(filter, StringComparison.OrdinalIgnoreCase))
                .OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
                .Select(g => new GroupView(g.ChatId, g.Name, g.ParticipantCount, g.IsAdmin))
                .ToList();
            return TypedResults.Ok(new GroupList(sessionId, views.Count, views));
        }
        catch (TalkNTalkException exception)
        {
            return Problem(WhatsAppProblems.Refusal(exception, $"list the groups of session {sessionId}"));
        }
    }

    private static async Task<Results<Ok<DeliveryPage>, ValidationProblem>> ListDeliveriesAsync(
        [AsParameters] DeliveryFilter filter, DeliveryHistory history, CancellationToken cancellationToken) =>
        filter.ToQuery(out var errors) is { } query
            ? TypedResults.Ok(await history.QueryAsync(query, cancellationToken))
            : TypedResults.ValidationProblem(errors, title: "The delivery filter is not valid");

    internal static Results<PushStreamHttpResult, ValidationProblem> ExportDeliveries(
        [AsParameters] DeliveryFilter filter, DeliveryHistory history, CancellationToken cancellationToken) =>
        filter.ToQuery(out var errors) is { } query
            ? TypedResults.Stream(body => DeliveryCsv.WriteAsync(body, history.ExportAsync(query, cancellationToken), cancellationToken), "text/csv; charset=utf-8", DeliveryCsv.FileName)
            : TypedResults.ValidationProblem(errors, title: "The delivery filter is not valid");

    private static async Task<Results<Ok<DeliveryView>, ProblemHttpResult>> GetDeliveryAsync(long id, DeliveryHistory history, CancellationToken cancellationToken) =>
        await history.GetAsync(id, cancellationToken) is { } delivery ? TypedResults.Ok(delivery) : UnknownDelivery(id);

    private static async Task<Results<Created<DeliveryView>, ProblemHttpResult>> RetryDeliveryAsync(
        HttpContext context, long id, bool? confirm, RetryRequest? request, DeliveryRetry retry, DeliveryHistory history, CancellationToken cancellationToken)
    {
        var outcome = await retry.RetryAsync(id, RetriedBy(context, "admin-api"), confirm == true || request?.Confirm == true, cancellationToken);
        return outcome switch
        {
            RetryOutcome.Retried retried => TypedResults.Created($"/admin/api/deliveries/{retried.Job.Id}", await history.GetAsync(retried.Job.Id, cancellationToken)),
            RetryOutcome.Refused refused => TypedResults.Problem(
                title: refused.NeedsConfirmation ? "Confirm the retry" : "This delivery cannot be retried", detail: refused.Sentence, statusCode: StatusCodes.Status409Conflict),
            _ => UnknownDelivery(id),
        };
    }

    /// <summary>Who retried, as the history shows it: there is one admin key, so the surface used and the client's address.</summary>
    internal static string RetriedBy(HttpContext context, string surface) =>
        context.Connection.RemoteIpAddress is { } address ? $"{surface} from {address}" : surface;

    private static ProblemHttpResult UnknownDelivery(long id) =>
        TypedResults.Problem(title: "Unknown delivery", detail: $"No delivery has the id {id}.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Ok<ScheduleList>> ListSchedulesAsync(IScheduleStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ScheduleList.ReadAsync(store, cancellationToken));

    private static async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> CancelScheduleAsync(
        string id, ScheduledSends schedules, CancellationToken cancellationToken) =>
        await schedules.CancelAsync(id, AdminCanceller, cancellationToken) is { } cancelled
            ? TypedResults.Ok(ScheduleView.From(cancelled))
            : await NotCancelledAsync(id, schedules, cancellationToken);

    /// <summary>Why a schedule was not cancelled: unknown (404), or already sent or cancelled (409).</summary>
    internal static async Task<ProblemHttpResult> NotCancelledAsync(string id, ScheduledSends schedules, CancellationToken cancellationToken) =>
        await schedules.GetAsync(id, cancellationToken) is { } finished
            ? TypedResults.Problem(
                title: "This scheduled send cannot be cancelled",
                detail: finished.State == ScheduleState.Cancelled ? $"It was cancelled by {finished.CancelledBy}." : "Its time came: it was sent.",
                statusCode: StatusCodes.Status409Conflict)
            : TypedResults.Problem(title: "Unknown scheduled send", detail: $"No scheduled send has the id {id}.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Ok<StoreRebuilt>> RebuildStoreAsync(IForwardStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new StoreRebuilt(await store.RebuildAsync(cancellationToken)));

    private static async Task<Ok<SetupView>> CheckSetupAsync(SetupChecker setup, CancellationToken cancellationToken) =>
        TypedResults.Ok(await setup.CheckAsync(cancellationToken));

    private static ProblemHttpResult UnknownLink(string id) =>
        TypedResults.Problem(title: "Unknown link", detail: $"No link has the id {id}.", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult Problem(LinkRefusal refusal) =>
        TypedResults.Problem(title: refusal.Title, detail: refusal.Detail, statusCode: refusal.Status);

    private static ValidationProblem Invalid(LinkRefusal refusal) =>
        TypedResults.ValidationProblem(
            refusal.Errors.GroupBy(e => CamelCase(e.Field)).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()),
            detail: refusal.Detail,
            title: refusal.Title);

    private static ValidationProblem Invalid(string field, string reason) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] }, detail: reason, title: "The request is not valid");

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string CamelCase(string field) => char.ToLowerInvariant(field[0]) + field[1..];
}
