namespace Bridge.Admin;

internal static class AdminEndpoints
{
    /// <summary>
    /// Maps the admin API, the admin page and the OpenAPI document. WebApplication adds the authentication,
    /// authorization and antiforgery middleware itself, since their services are registered.
    /// </summary>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapAdminApi();
        app.MapAdminPage();
        return app;
    }
}
