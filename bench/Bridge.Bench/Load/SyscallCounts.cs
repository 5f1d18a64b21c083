namespace Bridge.Bench.Load;

/// <summary>
/// What one traced phase called: each traced system call's count, the bytes pwrite64 wrote, and how many of those
/// writes were not whole LiteDB pages.
/// </summary>
internal sealed record SyscallCounts(IReadOnlyDictionary<string, int> Calls, long PwriteBytes, int UnevenPwrites)
{
    public int this[string name] => Calls.GetValueOrDefault(name);

    public int Flushes => this["fsync"] + this["fdatasync"];
}
