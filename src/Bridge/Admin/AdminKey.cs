using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Bridge.Forwarding;
using Microsoft.Extensions.Options;

namespace Bridge.Admin;

/// <summary>
/// The key that opens <c>/admin/api</c> and the admin page. Admin access is never open: without
/// <c>Admin:ApiKey</c>, a key is generated at first start and written to a file only its user can read, beside the
/// store (<see cref="KeyFileName"/>); only its hash is stored, and the log names the file, never the key.
/// </summary>
/// <param name="keyFile">Where a generated key is written: <see cref="KeyFileName"/> in Bridge's data folder.</param>
internal sealed partial class AdminKey(
    IOptions<AdminOptions> options, ISettingStore store, TimeProvider time, ILogger<AdminKey> logger, string keyFile)
{
    internal const string KeyFileName = "admin-key";

    internal const string HashSetting = "admin.generated-key.sha256";

    /// <summary>
    /// How long a generated key's hash is trusted before it is read again: <c>admin reset-key</c> may have replaced it
    /// while this replica runs (on PostgreSQL), and the old key must stop working here too.
    /// </summary>
    internal static readonly TimeSpan RereadInterval = TimeSpan.FromSeconds(30);

    // Loaded on first use (AdminStartup asks at start), and again after a failed load.
    private readonly LoadedOnce<(byte[] Hash, bool Generated)> _key = new(() => LoadAsync(options.Value, keyFile, store, logger));
    private byte[]? _reread;
    private long _readAt = time.GetTimestamp();

    /// <summary>True when no key is configured and the generated one is in use.</summary>
    public async Task<bool> IsGeneratedAsync() => (await _key.GetAsync()).Generated;

    /// <summary>Resolves the key now, so a generated one is made and shown at start rather than at the first request.</summary>
    public Task EnsureLoadedAsync() => _key.GetAsync();

    /// <summary>Compares hashes in constant time: equal lengths, and no early exit that would time the key out.</summary>
    public async Task<bool> MatchesAsync(string? presented)
    {
        var hash = await CurrentHashAsync();
        return !string.IsNullOrEmpty(presented) && CryptographicOperations.FixedTimeEquals(Hash(presented), hash);
    }

    /// <summary>A value that changes when the key changes, kept in the sign-in cookie so a new key ends old sessions.</summary>
    public async Task<string> FingerprintAsync() => Convert.ToHexStringLower(SHA256.HashData(await CurrentHashAsync()))[..16];

    /// <summary>The configured key's hash, or the generated key's as stored at most <see cref="RereadInterval"/> ago.</summary>
    private async Task<byte[]> CurrentHashAsync()
    {
        var key = await _key.GetAsync();
        if (!key.Generated)
        {
            return key.Hash;
        }

        // One caller per interval reads; the others use the hash they have.
        var readAt = Volatile.Read(ref _readAt);
        if (time.GetElapsedTime(readAt) >= RereadInterval && Interlocked.CompareExchange(ref _readAt, time.GetTimestamp(), readAt) == readAt)
        {
            try
            {
                if (await store.GetSettingAsync(HashSetting, CancellationToken.None) is { } stored)
                {
                    Volatile.Write(ref _reread, Convert.FromHexString(stored));
                }
            }
            catch (StoreUnavailableException)
            {
                // The last hash read stays in use; the next interval reads again.
            }
        }

        return Volatile.Read(ref _reread) ?? key.Hash;
    }

    private static async Task<(byte[] Hash, bool Generated)> LoadAsync(AdminOptions options, string keyFile, ISettingStore store, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            return (Hash(options.ApiKey.Trim()), false);
        }

        if (await store.GetSettingAsync(HashSetting, CancellationToken.None) is { } stored)
        {
            Log.UsingGeneratedKey(logger);
            return (Convert.FromHexString(stored), true);
        }

        var (key, hash) = Generate();
        // Written before its hash is kept, so no kept key is one nobody could read: when the file can't be written, no
        // key is kept (nobody signs in) and the next start tries again.
        try
        {
            WriteKeyFile(keyFile, key);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.KeyFileFailed(logger, keyFile, LogValue.Clean(exception.Message));
            // Random bytes no key's hash can match: admin stays shut until a key is set or made.
            return (RandomNumberGenerator.GetBytes(SHA256.HashSizeInBytes), true);
        }

        // Another replica starting at the same time may have kept its key first: then that one is the key, and this
        // replica's file goes.
        var kept = await store.GetOrAddSettingAsync(HashSetting, hash, CancellationToken.None);
        if (kept != hash)
        {
            File.Delete(keyFile);
            Log.UsingGeneratedKey(logger);
            return (Convert.FromHexString(kept), true);
        }

        Log.GeneratedKey(logger, keyFile);
        return (Convert.FromHexString(hash), true);
    }

    /// <summary>
    /// Readable and writable by Bridge's user only from the moment it exists (the mode is given at creation, so no
    /// other user can open it in between). Secrets never go to the log, so this file is where an operator finds the key.
    /// </summary>
    private static void WriteKeyFile(string path, string key)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        var mode = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            mode.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new StreamWriter(path, mode);
        file.WriteLine(key);
    }

    /// <summary>A new random 256-bit key and the hash stored in <see cref="HashSetting"/> for it.</summary>
    public static (string Key, string StoredHash) Generate()
    {
        var key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (key, Convert.ToHexStringLower(Hash(key)));
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Warning,
            Message = "Admin: no Admin:ApiKey is configured, so one was generated and written to {KeyFile}, readable only by Bridge's user: use it as the bearer key for /admin/api and to sign in at /admin, then delete the file; or set Admin:ApiKey instead")]
        public static partial void GeneratedKey(ILogger logger, string keyFile);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Error,
            Message = "Admin: no Admin:ApiKey is configured and the key generated for you could not be written to {KeyFile} ({Reason}), so none was kept; nobody can sign in until you set Admin:ApiKey, run `dotnet Bridge.dll admin reset-key` for a new key, or make the folder writable and restart")]
        public static partial void KeyFileFailed(ILogger logger, string keyFile, string reason);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Information,
            Message = "Admin: using the key generated at first start (written to the admin-key file beside the store of the Bridge that made it); set Admin:ApiKey to choose one, or run `dotnet run --project src/Bridge -- admin reset-key` (or `dotnet Bridge.dll admin reset-key`) to make a new key")]
        public static partial void UsingGeneratedKey(ILogger logger);
    }
}
