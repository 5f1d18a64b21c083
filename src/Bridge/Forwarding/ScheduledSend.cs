using System.Globalization;

namespace Bridge.Forwarding;

/// <summary>
/// A forward to accept later, at <see cref="SendAt"/>: the complete forward (its reply target the visible record's
/// thread) and the groups it goes to, as they were when it was scheduled. It takes its place in each group's order when
/// it is accepted, so a pending one holds up no other send.
/// </summary>
internal sealed class ScheduledSend
{
    /// <summary>Short, for people to type: <c>cancel k3x9p</c>.</summary>
    public string Id { get; set; } = "";
    public Forward Forward { get; set; } = new();
    public List<ChannelLink> Groups { get; set; } = [];
    public DateTimeOffset SendAt { get; set; }
    /// <summary>The IANA zone the sender wrote the time in; times are told in it.</summary>
    public string ZoneId { get; set; } = "UTC";
    public ScheduleState State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When it was sent or cancelled.</summary>
    public DateTimeOffset? FinishedAt { get; set; }
    public string? CancelledBy { get; set; }

    public ChannelRef Channel => Forward.Channel;

    /// <summary>Waiting for its time, or being accepted: what the schedule worker reads.</summary>
    public bool IsWaiting => State is ScheduleState.Pending or ScheduleState.Sending;

    /// <summary>Its time as the sender reads it: "Tue 24 Dec 08:30 (Africa/Johannesburg)".</summary>
    public string When => Describe(SendAt, Zone(ZoneId));

    /// <summary>A time as people in <paramref name="zone"/> read it: "Tue 24 Dec 08:30 (Africa/Johannesburg)".</summary>
    public static string Describe(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture) + $" ({zone.Id})";

    /// <summary>The zone of an IANA id (Slack's <c>tz</c>, Teams' <c>localTimezone</c>), or UTC when unknown.</summary>
    public static TimeZoneInfo Zone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
