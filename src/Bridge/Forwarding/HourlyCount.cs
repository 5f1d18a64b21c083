namespace Bridge.Forwarding;

/// <summary>How many jobs created in one hour (UTC, on the hour) ended with one status.</summary>
internal sealed record HourlyCount(DateTimeOffset Hour, DeliveryStatus Status, int Count)
{
    /// <summary>The finished jobs' counts by hour and status: what every store returns, from the jobs it read.</summary>
    public static IReadOnlyList<HourlyCount> Of(IEnumerable<DeliveryJob> jobs) =>
        [.. jobs.Where(j => j.IsFinished)
            .GroupBy(j => (Hour: HourOf(j.CreatedAt), j.Status))
            .Select(g => new HourlyCount(g.Key.Hour, g.Key.Status, g.Count()))
            .OrderBy(c => c.Hour).ThenBy(c => c.Status)];

    public static DateTimeOffset HourOf(DateTimeOffset time) => new(time.UtcDateTime.Date.AddHours(time.UtcDateTime.Hour), TimeSpan.Zero);
}
