using System.Security.Cryptography;
using System.Text;

namespace Bridge.Storage;

/// <summary>
/// Keys composed from inbound ids (dedupe keys) can grow past what LiteDB indexes (1023 bytes,
/// https://www.litedb.org/docs/indexes/) and PostgreSQL's btree (about 2.7 kB): they are hashed when longer than
/// <see cref="MaxKeyLength"/>.
/// </summary>
internal static class StoreKey
{
    private const int MaxKeyLength = 200;

    /// <summary>The key as it is, or its SHA-256 when it is too long to index (UTF-8 may take 4 bytes a character).</summary>
    public static string Bounded(string key) =>
        key.Length <= MaxKeyLength ? key : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
