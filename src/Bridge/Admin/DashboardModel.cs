namespace Bridge.Admin;

/// <summary>Everything the admin page shows, gathered before rendering.</summary>
internal sealed record DashboardModel(
    SetupView Setup,
    IReadOnlyList<PhoneView> Phones,
    string? PhonesProblem,
    IReadOnlyList<GroupChoice> Groups,
    string? GroupsProblem,
    IReadOnlyList<LinkView> Links,
    TrafficChart Traffic,
    DeliveryPage Deliveries,
    DeliveryFilter Search,
    string? SearchProblem,
    Html Antiforgery,
    string? Notice,
    string? Error,
    LinkForm Form,
    ChannelDirectory Channels,
    ScheduleList Schedules);
