using System.Text;

namespace Bridge.Storage;

/// <summary>
/// Ownership of the store file, and the check that it is a LiteDB file, before LiteDB sees it. One process owns the
/// store: it holds a lock on <c>&lt;store&gt;.lock</c> for its life and writes its pid there, so a second process
/// refuses to start and names the owner. The lock, not the lock file's existence, decides: the kernel drops it when
/// its process ends, even by SIGKILL, and the file left behind blocks no one.
/// </summary>
internal sealed class StoreFile : IDisposable
{
    /// <summary>
    /// LiteDB 5 recognises its file by page 0: the text at bytes 32-58 and the file version at byte 59 (HeaderPage,
    /// https://github.com/litedb-org/LiteDB/blob/v5.0.21/LiteDB/Engine/Pages/HeaderPage.cs). LiteDB itself would
    /// truncate a foreign file to whole pages, or start fresh over an empty one.
    /// </summary>
    private const int PageSize = 8192;
    private const int HeaderInfoPosition = 32;
    private const int FileVersionPosition = 59;
    private const byte FileVersion = 8;
    private static readonly byte[] HeaderInfo = Encoding.ASCII.GetBytes("** This is a LiteDB file **");

    private const string WhatToDo = "restore the file from the backup, or move it aside to start with an empty store";

    private readonly FileStream _lock;

    private StoreFile(FileStream @lock) => _lock = @lock;

    /// <summary>Takes ownership of the store at <paramref name="path"/> and checks that it is a LiteDB file, or missing.</summary>
    /// <exception cref="StoreOpenException">Another process owns the store, or the file is not a LiteDB store.</exception>
    public static StoreFile Open(string path)
    {
        path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var owner = Own(path);
        try
        {
            Check(path);
            return owner;
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>LiteDB could not open a file that passed <see cref="Check"/>: a sentence naming it and what to do.</summary>
    public static StoreOpenException Unreadable(string path, Exception exception) => new(
        $"The store file {path} is damaged: LiteDB could not open it ({string.Concat(exception.Message.Where(c => !char.IsControl(c)))}); {WhatToDo}.",
        exception);

    /// <summary>
    /// FileStream.Lock is a POSIX record lock on Linux (fcntl F_SETLK in SystemNative_LockFileRegion,
    /// https://github.com/dotnet/runtime/blob/main/src/native/libs/System.Native/pal_io.c), which a second process
    /// cannot take while the first holds it. FileShare.None would give an exclusive flock instead
    /// (https://github.com/dotnet/runtime/blob/main/src/libraries/System.Private.CoreLib/src/Microsoft/Win32/SafeHandles/SafeFileHandle.Unix.cs),
    /// but every other .NET open takes a shared flock, so the refused process could not read the owner's pid. Record
    /// locks belong to the process: a second open in the same process is not refused, and closing any handle on the
    /// lock file drops the process's lock, so nothing else in Bridge opens it.
    /// </summary>
    private static StoreFile Own(string path)
    {
        var lockPath = path + ".lock";
        var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        try
        {
            // .NET has no record locks on macOS, where Bridge is only developed, not run: there the check is skipped.
            if (!OperatingSystem.IsMacOS())
            {
                stream.Lock(0, 1);
            }
        }
        catch (IOException exception)
        {
            stream.Dispose();
            throw new StoreOpenException(
                $"The store file {path} is in use by another Bridge process (pid {OwnerOf(lockPath)}); stop that process, or give this one its own Storage:LiteDbPath.",
                exception);
        }

        stream.SetLength(0);
        stream.Write(Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
        stream.Flush(flushToDisk: true);
        return new StoreFile(stream);
    }

    private static string OwnerOf(string lockPath)
    {
        try
        {
            var text = File.ReadAllText(lockPath).Trim();
            return int.TryParse(text, out _) ? text : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>A missing file is a first start; an existing one must be LiteDB's, and is only read here.</summary>
    private static void Check(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var file = File.OpenRead(path);
        if (file.Length == 0)
        {
            throw new StoreOpenException($"The store file {path} is empty (0 bytes), so Bridge will not start a fresh store over it; {WhatToDo}.");
        }

        var header = new byte[FileVersionPosition + 1];
        if (file.Length < PageSize
            || file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length
            || !header.AsSpan(HeaderInfoPosition, HeaderInfo.Length).SequenceEqual(HeaderInfo)
            || header[FileVersionPosition] != FileVersion)
        {
            throw new StoreOpenException($"The store file {path} is not a LiteDB 5 store (its header is missing or damaged); {WhatToDo}.");
        }
    }

    /// <summary>Closing the file releases the lock; the file stays, harmless.</summary>
    public void Dispose() => _lock.Dispose();
}
