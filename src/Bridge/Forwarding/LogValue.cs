using System.Text;

namespace Bridge.Forwarding;

/// <summary>
/// Makes a value from a request or an outside answer safe to log: control characters (newlines among them) become
/// <c>?</c>, so no one can forge a log line, and the value is cut to a readable length.
/// </summary>
internal static class LogValue
{
    private const int MaxLength = 200;

    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var clean = new StringBuilder(Math.Min(value.Length, MaxLength + 1));
        foreach (var c in value.Length > MaxLength ? value[..MaxLength] : value)
        {
            clean.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? '?' : c);
        }

        return value.Length > MaxLength ? clean.Append('…').ToString() : clean.ToString();
    }
}
