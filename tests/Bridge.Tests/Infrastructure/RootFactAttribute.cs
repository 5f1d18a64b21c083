namespace Bridge.Tests.Infrastructure;

/// <summary>A test that mounts a file system: it runs as root, as <c>.ci/run</c> does, and is skipped elsewhere.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess || !OperatingSystem.IsLinux())
        {
            Skip = "Mounts a small tmpfs, which needs root on Linux (.ci/run runs as root).";
        }
    }
}
