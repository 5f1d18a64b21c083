using System.Runtime.InteropServices;

namespace Bridge.Bench;

/// <summary>What the figures were measured on, and how busy it was.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var cpu = ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = ReadField("/proc/meminfo", "MemTotal") is { } total && long.TryParse(total.Split(' ')[0], out var kb)
            ? $"{kb / 1024.0 / 1024.0:0.0} GiB RAM"
            : "unknown RAM";
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory}, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}";
    }

    /// <summary>The 1-minute load average: other work on the machine makes figures noisy.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string? ReadField(string path, string name)
    {
        try
        {
            return File.ReadLines(path)
                .Where(l => l.StartsWith(name, StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':') + 1)..].Trim())
                .FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
