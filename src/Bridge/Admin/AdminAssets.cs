using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bridge.Admin;

/// <summary>The admin page's stylesheet, script and icon, embedded in the assembly: no CDN, no front-end build.</summary>
internal static class AdminAssets
{
    private static readonly Dictionary<string, (byte[] Content, string Type)> Files = new(StringComparer.Ordinal)
    {
        ["admin.css"] = (Read("admin.css"), "text/css; charset=utf-8"),
        ["admin.js"] = (Read("admin.js"), "text/javascript; charset=utf-8"),
        ["favicon.svg"] = (Read("favicon.svg"), "image/svg+xml"),
    };

    /// <summary>
    /// <c>/favicon.ico</c>, which browsers ask for whatever the page links: the SVG icon, which current browsers take
    /// from any URL by its type (https://developer.mozilla.org/docs/Web/HTML/Attributes/rel#icon). Kept a day.
    /// </summary>
    public static FileContentHttpResult Favicon(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=86400";
        var icon = Files["favicon.svg"];
        return TypedResults.Bytes(icon.Content, icon.Type);
    }

    public static Results<FileContentHttpResult, NotFound> Serve(HttpContext context, string name)
    {
        if (!Files.TryGetValue(name, out var file))
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Bytes(file.Content, file.Type);
    }

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Bridge.Admin.Assets." + name)
            ?? throw new InvalidOperationException($"The embedded admin asset {name} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
