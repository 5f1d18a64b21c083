using System.Globalization;
using Bridge.Fakes;

namespace Bridge.Bench.Load;

/// <summary>A process's memory as Linux reports it in <c>/proc/&lt;pid&gt;/status</c>.</summary>
internal static class ProcessMemory
{
    /// <summary>Resident set size now (VmRSS), in bytes; null once the process is gone.</summary>
    public static long? Rss(this ServiceProcess process) => ReadStatus(process, "VmRSS:");

    /// <summary>Peak resident set size since start (VmHWM), in bytes.</summary>
    public static long? PeakRss(this ServiceProcess process) => ReadStatus(process, "VmHWM:");

    /// <summary>
    /// Resets VmHWM to the current RSS (<c>echo 5 &gt; /proc/&lt;pid&gt;/clear_refs</c>, Linux 4.0+), so that a later
    /// <see cref="PeakRss"/> is the peak of what happened since; false when the kernel refused.
    /// </summary>
    public static bool ResetPeakRss(this ServiceProcess process)
    {
        try
        {
            File.WriteAllText($"/proc/{process.ProcessId}/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Peak resident set size (VmHWM) of the process with this id, in bytes; null once it is gone.</summary>
    public static long? PeakRssOf(int processId) => ReadStatus(processId, "VmHWM:");

    /// <summary>The ids of a process's children, from each of its threads' <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/children</c>.</summary>
    public static IEnumerable<int> ChildrenOf(ServiceProcess process)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{process.ProcessId}/task")
                .SelectMany(task => File.Exists(task + "/children") ? File.ReadAllText(task + "/children").Split(' ', StringSplitOptions.RemoveEmptyEntries) : [])
                .Select(id => int.Parse(id, CultureInfo.InvariantCulture))
                .ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static long? ReadStatus(ServiceProcess process, string field) => ReadStatus(process.ProcessId, field);

    private static long? ReadStatus(int processId, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            var kilobytes = line?[field.Length..].Trim().Split(' ')[0];
            return kilobytes is null ? null : long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
