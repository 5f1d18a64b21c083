using System.Globalization;
using Bridge.Fakes;

namespace Bridge.Bench.Load;

/// <summary>A process's CPU time as Linux reports it in <c>/proc/&lt;pid&gt;/stat</c>.</summary>
internal static class ProcessCpu
{
    /// <summary>
    /// User plus system time of all its threads so far; null once the process is gone. Fields 14 and 15 (utime, stime),
    /// counted after the command name's closing parenthesis since the name may hold spaces, in clock ticks of 1/100 s
    /// (USER_HZ; https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html).
    /// </summary>
    public static TimeSpan? CpuTime(this ServiceProcess process) => CpuTime(process.ProcessId);

    /// <inheritdoc cref="CpuTime(ServiceProcess)"/>
    public static TimeSpan? CpuTime(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The process's CPU time from <paramref name="from"/> to <paramref name="to"/> after now, read at those two
    /// moments: the measured window of a load run started now.
    /// </summary>
    public static async Task<TimeSpan?> CpuDuringAsync(this ServiceProcess process, TimeSpan from, TimeSpan to)
    {
        await Task.Delay(from);
        var start = process.CpuTime();
        await Task.Delay(to - from);
        return process.CpuTime() - start;
    }
}
