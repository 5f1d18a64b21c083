namespace Bridge.Admin;

/// <summary>The answer of <c>GET /admin/api/schedules</c>: those still to go, in the order they go, and the latest finished.</summary>
internal sealed record ScheduleList(IReadOnlyList<ScheduleView> Waiting, IReadOnlyList<ScheduleView> Finished);
