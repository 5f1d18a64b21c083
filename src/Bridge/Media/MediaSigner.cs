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
internal sealed class MediaSigner(IOptions<MediaOptions> options, ISettingStore store)
{
    private const string KeySetting = "media.signing-key";

    // Loaded on first use, and again after a failed load.
    private readonly LoadedOnce<byte[]> _key = new(async () => string.IsNullOrEmpty(options.Value.SigningKey)
        ? Convert.FromBase64String(await LoadOrCreateKeyAsync(store))
        : Encoding.UTF8.GetBytes(options.Value.SigningKey));

    public async Task<Uri> CreateUrlAsync(Uri publicBaseUrl, string id, string name, DateTimeOffset expiresAt)
    {
        var exp = expiresAt.ToUnixTimeSeconds();
        var baseUrl = publicBaseUrl.AbsoluteUri.EndsWith('/') ? publicBaseUrl : new Uri(publicBaseUrl.AbsoluteUri + "/");
        var signature = Base64Url.EncodeToString(Sign(await _key.GetAsync(), id, name, exp));
        return new Uri(baseUrl, $"media/{Uri.EscapeDataString(id)}/{Uri.EscapeDataString(name)}?exp={exp}&sig={signature}");
    }

    /// <summary>True when the signature is ours for exactly this id, name and expiry, and the expiry is in the future.</summary>
    public async Task<bool> IsValidAsync(string id, string name, string? exp, string? sig, DateTimeOffset now)
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

        var key = await _key.GetAsync();
        return CryptographicOperations.FixedTimeEquals(given, Sign(key, id, name, expires));
    }

    // The name comes last: the id and the expiry cannot contain the separator, so no two inputs sign the same bytes.
    private static byte[] Sign(byte[] key, string id, string name, long exp) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}\n{exp}\n{name}"));

    private static async Task<string> LoadOrCreateKeyAsync(ISettingStore store) =>
        await store.GetSettingAsync(KeySetting, CancellationToken.None) is { Length: > 0 } existing
            ? existing
            // Replicas starting together each make a key; the first one stored is the one every replica signs with.
            : await store.GetOrAddSettingAsync(KeySetting, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), CancellationToken.None);
}
