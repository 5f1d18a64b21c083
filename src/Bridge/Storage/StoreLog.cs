using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Bridge.Storage;

/// <summary>
/// LiteDB 5 commits a transaction by writing its pages to the log file beside the store (<c>&lt;name&gt;-log.db</c>)
/// and returns without an fsync: only a checkpoint, which copies the log into the data file, flushes to disk
/// (DiskService.WriteLogDisk and WriteDataDisk, https://github.com/litedb-org/LiteDB/blob/v5.0.21/LiteDB/Engine/Disk/DiskService.cs).
/// A commit therefore sits in the OS page cache until then, and a power cut loses it. This handle on the same log
/// file makes committed pages durable: fsync applies to the file, whichever descriptor wrote it. The file is created
/// here, before LiteDB opens (LiteDB takes an empty log as no log, and deletes it again when it closes cleanly), so
/// its directory entry is made durable once, at open, rather than by chance at some later commit.
/// </summary>
internal sealed class StoreLog(SafeFileHandle file, IDiskFlush flush) : IDisposable
{
    public static StoreLog Open(string databasePath, IDiskFlush flush)
    {
        var path = Path.Combine(
            Path.GetDirectoryName(databasePath)!,
            Path.GetFileNameWithoutExtension(databasePath) + "-log" + Path.GetExtension(databasePath));
        var created = !File.Exists(path);
        // Shared for reading and writing: LiteDB opens its own writer on the same file.
        var file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        if (created)
        {
            FlushDirectory(Path.GetDirectoryName(path)!);
        }

        return new StoreLog(file, flush);
    }

    /// <summary>Every page LiteDB has committed so far is on stable storage when this returns.</summary>
    public void Flush() => flush.Flush(file);

    public void Dispose() => file.Dispose();

    /// <summary>
    /// A new file's name is durable only once its directory is flushed (fsync(2), "Notes"). .NET opens no directory as
    /// a file, so this is the one place Bridge calls libc itself.
    /// </summary>
    private static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var descriptor = open(directory, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"Could not open the store's folder {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (fsync(descriptor) != 0)
            {
                throw new IOException($"Could not flush the store's folder {directory} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            close(descriptor);
        }
    }

    private const int ReadOnly = 0;

    // DllImport, not LibraryImport: the generated marshalling would need unsafe code for three plain calls.
    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int descriptor);

    [DllImport("libc")]
    private static extern int close(int descriptor);
}
