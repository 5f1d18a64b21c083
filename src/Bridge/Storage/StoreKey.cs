using System.Security.Cryptography;
using System.Text;

namespace Bridge.Storage;

/// <summary>
/// Bounds on ids that become store keys. LiteDB refuses an index key over 1023 bytes
/// (https://www.litedb.org/docs/indexes/), so inbound ids are refused above <see cref="MaxIdLength"/> characters and
/// composed keys are hashed when they grow past <see cref="MaxKeyLength"/>.
/// </summary>
internal static class StoreKey
{
    /// <summary>Far above any real Slack or Teams id (a trigger_id is about 60 characters).</summary>
    public const int MaxIdLength = 255;

    private const int MaxKeyLength = 200;

    /// <summary>The name of the first id longer than <see cref="MaxIdLength"/>, or null when all fit.</summary>
    public static string? FirstTooLong(params (string Name, string? Value)[] ids) =>
        ids.FirstOrDefault(id => id.Value?.Length > MaxIdLength).Name;

    /// <summary>The key as it is, or its SHA-256 when it is too long to index (UTF-8 may take 4 bytes a character).</summary>
    public static string Bounded(string key) =>
        key.Length <= MaxKeyLength ? key : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string TooLongReason(string name) => $"The {name} is longer than {MaxIdLength} characters.";
}
