using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Bridge.Forwarding;
using Microsoft.Extensions.Options;

namespace Bridge.Admin;

/// <summary>
/// The key that opens <c>/admin/api</c> and the admin page. Admin access is never open: without
/// <c>Admin:ApiKey</c>, a key is generated at first start, shown once in the log, and only its hash is stored.
/// </summary>
internal sealed partial class AdminKey(IOptions<AdminOptions> options, IBridgeStore store, ILogger<AdminKey> logger)
{
    internal const string HashSetting = "admin.generated-key.sha256";

    private readonly Lazy<(byte[] Hash, bool Generated)> _key = new(() => Load(options.Value, store, logger));

    /// <summary>True when no key is configured and the generated one is in use.</summary>
    public bool IsGenerated => _key.Value.Generated;

    /// <summary>Resolves the key now, so a generated one is made and shown at start rather than at the first request.</summary>
    public void EnsureLoaded() => _ = _key.Value;

    /// <summary>Compares hashes in constant time: equal lengths, and no early exit that would time the key out.</summary>
    public bool Matches(string? presented) =>
        !string.IsNullOrEmpty(presented) && CryptographicOperations.FixedTimeEquals(Hash(presented), _key.Value.Hash);

    /// <summary>A value that changes when the key changes, kept in the sign-in cookie so a new key ends old sessions.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(_key.Value.Hash))[..16];

    private static (byte[] Hash, bool Generated) Load(AdminOptions options, IBridgeStore store, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            return (Hash(options.ApiKey.Trim()), false);
        }

        if (store.GetSetting(HashSetting) is { } stored)
        {
            Log.UsingGeneratedKey(logger);
            return (Convert.FromHexString(stored), true);
        }

        var key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var hash = Hash(key);
        store.SetSetting(HashSetting, Convert.ToHexStringLower(hash));
        // The one deliberate exception to "no secrets in logs": an operator who set no key needs to learn this one.
        Log.GeneratedKey(logger, key);
        return (hash, true);
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Warning,
            Message = "Admin: no Admin:ApiKey is configured, so one was generated: {ApiKey} — it is shown only this once; use it as the bearer key for /admin/api and to sign in at /admin, or set Admin:ApiKey instead")]
        public static partial void GeneratedKey(ILogger logger, string apiKey);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Information,
            Message = "Admin: using the key generated at first start (shown in that start's log only); set Admin:ApiKey to choose one")]
        public static partial void UsingGeneratedKey(ILogger logger);
    }
}
