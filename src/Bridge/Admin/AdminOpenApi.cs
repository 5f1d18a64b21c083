using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Bridge.Admin;

/// <summary>
/// What the OpenAPI document says beyond the routes: the admin key as a bearer scheme, required by every
/// <c>/admin/api</c> operation.
/// </summary>
internal static class AdminOpenApi
{
    private const string Scheme = "AdminKey";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The admin key: Authorization: Bearer <key> (Admin:ApiKey, or the key Bridge generated at first start).",
            };
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.RelativePath?.StartsWith("admin/api/", StringComparison.Ordinal) == true)
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] }];
            }

            return Task.CompletedTask;
        });
    }
}
