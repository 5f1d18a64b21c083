using Microsoft.Win32.SafeHandles;

namespace Bridge.Storage;

/// <summary>fsync: the file's written pages reach stable storage before this returns.</summary>
internal sealed class DiskFlush : IDiskFlush
{
    public void Flush(SafeFileHandle file) => RandomAccess.FlushToDisk(file);
}
