using System.Net.Http.Headers;

namespace Bridge.Media;

internal static class ContentTypes
{
    public const string Default = "application/octet-stream";

    /// <summary>
    /// The bare media type of a value from a chat payload or a file host, or <see cref="Default"/>: a type with control
    /// characters or that does not parse would make the media link's Content-Type header invalid.
    /// </summary>
    public static string Clean(string? value)
    {
        var trimmed = (value ?? "").Trim();
        return trimmed.Length > 0 && !trimmed.Any(char.IsControl) && MediaTypeHeaderValue.TryParse(trimmed, out var parsed) && parsed.MediaType is { } type
            ? type.ToLowerInvariant()
            : Default;
    }
}
