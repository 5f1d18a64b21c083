using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bridge.Forwarding;
using Microsoft.Extensions.Options;

namespace Bridge.Media;

/// <summary>
/// Signs and checks the media URLs: HMAC-SHA256 over the id, expiry and file name, so a link opens exactly one file
/// until it expires. The key comes from <c>Media:SigningKey</c>, or is generated once and kept in the store.
/// </summary>
internal sealed class MediaSigner
{
    private const string KeySetting = "media.signing-key";
    private readonly byte[] _key;

    public MediaSigner(IOptions<MediaOptions> options, IBridgeStore store)
    {
        _key = string.IsNullOrEmpty(options.Value.SigningKey)
            ? Convert.FromBase64String(LoadOrCreateKey(store))
            : Encoding.UTF8.GetBytes(options.Value.SigningKey);
    }

    public Uri CreateUrl(Uri publicBaseUrl, string id, string name, DateTimeOffset expiresAt)
    {
        var exp = expiresAt.ToUnixTimeSeconds();
        var baseUrl = publicBaseUrl.AbsoluteUri.EndsWith('/') ? publicBaseUrl : new Uri(publicBaseUrl.AbsoluteUri + "/");
        var signature = Base64Url.EncodeToString(Sign(id, name, exp));
        return new Uri(baseUrl, $"media/{Uri.EscapeDataString(id)}/{Uri.EscapeDataString(name)}?exp={exp}&sig={signature}");
    }

    /// <summary>True when the signature is ours for exactly this id, name and expiry, and the expiry is in the future.</summary>
    public bool IsValid(string id, string name, string? exp, string? sig, DateTimeOffset now)
    {
        if (!long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires <= now.ToUnixTimeSeconds()
            || string.IsNullOrEmpty(sig))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Base64Url.DecodeFromChars(sig);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, Sign(id, name, expires));
    }

    // The name comes last: the id and the expiry cannot contain the separator, so no two inputs sign the same bytes.
    private byte[] Sign(string id, string name, long exp) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{id}\n{exp}\n{name}"));

    private static string LoadOrCreateKey(IBridgeStore store)
    {
        if (store.GetSetting(KeySetting) is { Length: > 0 } existing)
        {
            return existing;
        }

        var created = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        store.SetSetting(KeySetting, created);
        return created;
    }
}
