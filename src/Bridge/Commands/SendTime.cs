using System.Globalization;
using System.Text.RegularExpressions;

namespace Bridge.Commands;

/// <summary>
/// When a scheduled send goes, read from the start of a send's text in the sender's time zone: <c>at 09:00</c> (the next
/// 09:00), <c>at 9:30pm</c>, <c>at 2026-12-24 08:30</c>, or <c>in 2h</c>, <c>in 1h30m</c>, <c>in 45 minutes</c>,
/// <c>in 3 days</c>. Text that only looks like a time by chance ("at the gate", "in 2025 we grew") is a plain send.
/// </summary>
internal static partial class SendTime
{
    /// <summary>The furthest ahead a send may be scheduled.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(366);

    public const string Examples = "`at 09:00`, `at 2026-12-24 08:30` or `in 2h`, then the message";

    /// <summary>
    /// The schedule at the start of <paramref name="text"/>, or null when the text does not start with one (a plain send).
    /// </summary>
    public static Scheduled? Read(string text, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (At().Match(text) is { Success: true } at)
        {
            return Schedule(at.Groups["text"].Value, now, AtTime(at, zone, now));
        }

        if (In().Match(text) is { Success: true } after)
        {
            return Schedule(after.Groups["text"].Value, now, InTime(after, now));
        }

        return null;
    }

    private static Scheduled Schedule(string message, DateTimeOffset now, (DateTimeOffset? At, string? Error) time)
    {
        if (time.Error is { } error)
        {
            return Scheduled.Refused($"{error} Write {Examples}.");
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            return Scheduled.Refused($"Add the message after the time: {Examples}.");
        }

        var at = time.At!.Value;
        return at <= now ? Scheduled.Refused($"That time has passed. Write {Examples}.")
            : at - now > Horizon ? Scheduled.Refused($"A send can be scheduled at most {Horizon.TotalDays:0} days ahead.")
            : new Scheduled(at, message.Trim(), null);
    }

    private static (DateTimeOffset?, string?) AtTime(Match at, TimeZoneInfo zone, DateTimeOffset now)
    {
        var hour = int.Parse(at.Groups["hour"].Value, CultureInfo.InvariantCulture);
        var minute = at.Groups["minute"].Success ? int.Parse(at.Groups["minute"].Value, CultureInfo.InvariantCulture) : 0;
        if (at.Groups["half"].Success)
        {
            if (hour is < 1 or > 12)
            {
                return (null, $"{at.Groups["time"].Value} is not a time.");
            }

            hour = hour % 12 + (at.Groups["half"].Value.Equals("pm", StringComparison.OrdinalIgnoreCase) ? 12 : 0);
        }

        if (hour > 23 || minute > 59)
        {
            return (null, $"{at.Groups["time"].Value} is not a time.");
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        DateOnly day;
        if (at.Groups["date"].Success)
        {
            if (!DateOnly.TryParseExact(at.Groups["date"].Value, "yyyy-M-d", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
            {
                return (null, $"{at.Groups["date"].Value} is not a date.");
            }
        }
        else
        {
            // A time alone is its next occurrence: today, or tomorrow once today's has passed.
            day = Local(today, hour, minute, zone) is { } todays && todays <= now ? today.AddDays(1) : today;
        }

        return Local(day, hour, minute, zone) is { } local
            ? (local, null)
            : (null, $"{day:yyyy-MM-dd} {hour:00}:{minute:00} does not exist in {zone.Id} (the clocks go forward then).");
    }

    /// <summary>The moment a wall-clock time in the zone is, the earlier one when the clocks go back; null in a gap.</summary>
    private static DateTimeOffset? Local(DateOnly day, int hour, int minute, TimeZoneInfo zone)
    {
        var wall = day.ToDateTime(new TimeOnly(hour, minute));
        if (zone.IsInvalidTime(wall))
        {
            return null;
        }

        var offset = zone.IsAmbiguousTime(wall) ? zone.GetAmbiguousTimeOffsets(wall).Max() : zone.GetUtcOffset(wall);
        return new DateTimeOffset(wall, offset);
    }

    private static (DateTimeOffset?, string?) InTime(Match after, DateTimeOffset now)
    {
        var total = TimeSpan.Zero;
        foreach (Capture part in after.Groups["part"].Captures)
        {
            var unit = Unit().Match(part.Value);
            if (!long.TryParse(unit.Groups["count"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > Horizon.TotalMinutes)
            {
                return (null, $"{after.Groups["span"].Value.Trim()} is too far ahead.");
            }

            total += char.ToLowerInvariant(unit.Groups["unit"].Value[0]) switch
            {
                'd' => TimeSpan.FromDays(count),
                'h' => TimeSpan.FromHours(count),
                _ => TimeSpan.FromMinutes(count),
            };
            if (total > Horizon)
            {
                // Checked at each part: many parts, each within the horizon, would otherwise overflow TimeSpan.
                return (null, $"{after.Groups["span"].Value.Trim()} is too far ahead.");
            }
        }

        return (now + total, null);
    }

    // "at" then a time with a colon or am/pm, optionally after a date: a bare number ("at 5 we meet") is text.
    [GeneratedRegex(@"^\s*at\s+(?:(?<date>\d{4}-\d{1,2}-\d{1,2})\s+)?(?<time>(?<hour>\d{1,2})(?::(?<minute>\d{2}))?\s*(?<half>am|pm)?)(?=\s|$)(?<=\d:\d\d|[ap]m)\s*(?<text>.*)$",
        RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex At();

    // "in" then one or more amounts with a unit: "in 2025 we grew" has no unit, so it is text.
    [GeneratedRegex(@"^\s*in\s+(?<span>(?<part>\d+\s*(?:days?|d|hours?|hrs?|h|minutes?|mins?|m)(?=\d|\s|$)\s*)+)(?<text>.*)$",
        RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex In();

    [GeneratedRegex(@"(?<count>\d+)\s*(?<unit>[a-z]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Unit();
}

/// <summary>A send's time and its message, or the sentence saying why the time can't be used.</summary>
internal sealed record Scheduled(DateTimeOffset At, string Text, string? Refusal)
{
    public static Scheduled Refused(string refusal) => new(default, "", refusal);
}
