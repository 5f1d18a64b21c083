using System.Globalization;

namespace Bridge.Bench.Reporting;

internal static class Format
{
    public static string Ms(double milliseconds) =>
        double.IsNaN(milliseconds) ? "n/a" : milliseconds.ToString(milliseconds < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Mib(long? bytes) =>
        bytes is { } b ? (b / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB" : "n/a";

    public static string Number(double value, string format = "0.0") =>
        double.IsNaN(value) || double.IsInfinity(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Ratio(double value) => Number(value, "0.00") + "×";

    public static string Percent(double value) => Number(value * 100, "0") + " %";
}
