using Microsoft.Win32.SafeHandles;

namespace Bridge.Storage;

/// <summary>Makes what was written to a file durable: the seam tests use to see and hold the store's flushes.</summary>
internal interface IDiskFlush
{
    void Flush(SafeFileHandle file);
}
