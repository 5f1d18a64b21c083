using Bridge.Forwarding;

namespace Bridge.Admin;

/// <summary>The answer of <c>GET /admin/api/schedules</c> and the page's list: those still to go, in the order they go, and the latest finished.</summary>
internal sealed record ScheduleList(IReadOnlyList<ScheduleView> Waiting, IReadOnlyList<ScheduleView> Finished)
{
    private const int FinishedListed = 50;

    public static async Task<ScheduleList> ReadAsync(IScheduleStore store, CancellationToken cancellationToken) => new(
        [.. (await store.ListSchedulesAsync(null, waiting: true, int.MaxValue, cancellationToken)).Select(ScheduleView.From)],
        [.. (await store.ListSchedulesAsync(null, waiting: false, FinishedListed, cancellationToken)).Select(ScheduleView.From)]);
}
