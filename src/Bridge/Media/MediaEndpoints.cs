using Bridge.Forwarding;

namespace Bridge.Media;

internal static class MediaEndpoints
{
    public static IEndpointRouteBuilder MapMedia(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/media/{id}/{name}", [HttpMethods.Get, HttpMethods.Head], ServeAsync).ExcludeFromDescription();
        return app;
    }

    /// <summary>Serves a stored file to whoever holds a valid, unexpired link. Any other request gets the same bare 404.</summary>
    private static async Task<IResult> ServeAsync(string id, string name, string? exp, string? sig,
        MediaSigner signer, IMediaStore store, TimeProvider time, HttpResponse response, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!await signer.IsValidAsync(id, name, exp, sig, now) || await store.GetMediaAsync(id, cancellationToken) is not { } media
            || media.ExpiresAt <= now || await store.OpenMediaAsync(id, cancellationToken) is not { } content)
        {
            return TypedResults.NotFound();
        }

        // The files come from chat users: never let a browser run them as part of this site.
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        response.Headers.CacheControl = "private, no-store";
        response.ContentLength = media.Length;
        return TypedResults.Stream(content, media.ContentType);
    }
}
