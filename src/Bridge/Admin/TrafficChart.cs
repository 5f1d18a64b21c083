using Bridge.Forwarding;

namespace Bridge.Admin;

/// <summary>The traffic picture: finished deliveries per hour over the last days by outcome, the backlog, and the rate limit's use.</summary>
/// <param name="From">The first hour shown (UTC, on the hour); the chart has <see cref="Hours"/> hours from it.</param>
/// <param name="Backlog">Deliveries pending or being sent now.</param>
/// <param name="PermitsUsed">Rate-limit permits held in the current window, on every replica.</param>
internal sealed record TrafficChart(DateTimeOffset From, IReadOnlyList<HourlyCount> Counts, int Backlog, int PermitsUsed, int PermitLimit)
{
    public const int Days = 7;
    public const int Hours = Days * 24;

    /// <summary>The outcomes shown, bottom to top, each with its CSS class and label.</summary>
    public static readonly (DeliveryStatus Status, string Class, string Label)[] Series =
    [
        (DeliveryStatus.Delivered, "delivered", "delivered"),
        (DeliveryStatus.Failed, "failed", "failed"),
        (DeliveryStatus.Unknown, "unknown", "possibly delivered"),
    ];

    public int Count(int hour, DeliveryStatus status) =>
        Counts.FirstOrDefault(c => c.Hour == From.AddHours(hour) && c.Status == status)?.Count ?? 0;

    public int Total(DeliveryStatus status) => Counts.Where(c => c.Status == status).Sum(c => c.Count);

    public int Busiest => Enumerable.Range(0, Hours).Max(h => Series.Sum(s => Count(h, s.Status)));
}
