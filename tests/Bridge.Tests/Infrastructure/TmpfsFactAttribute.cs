namespace Bridge.Tests.Infrastructure;

/// <summary>
/// A test that mounts a small tmpfs of its own: it runs where this process may mount one (as root on Linux, as
/// <c>.ci/run</c> runs), and is skipped elsewhere with the reason.
/// </summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> WhyNot = new(() =>
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            return "Mounts a small tmpfs, which needs root on Linux (.ci/run runs as root).";
        }

        try
        {
            SmallDisk.Mount(megabytes: 1).Dispose();
            return null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"Mounts a small tmpfs, which this machine refused: {exception.Message}";
        }
    });

    public TmpfsFactAttribute()
    {
        Skip = WhyNot.Value;
    }
}
