using Bridge.Forwarding;

namespace Bridge.Admin;

/// <summary>One scheduled send as the admin API and page show it; <see cref="When"/> is its time in the sender's zone.</summary>
internal sealed record ScheduleView(
    string Id,
    string Platform,
    string WorkspaceId,
    string ChannelId,
    string? ChannelName,
    string UserId,
    string UserName,
    string TextPreview,
    IReadOnlyList<string> GroupNames,
    DateTimeOffset SendAt,
    string ZoneId,
    string When,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    string? CancelledBy,
    string ForwardId)
{
    public bool CanCancel => State == nameof(ScheduleState.Pending);

    internal static ScheduleView From(ScheduledSend schedule) => new(
        schedule.Id, schedule.Forward.Platform.ToString(), schedule.Forward.WorkspaceId, schedule.Forward.ChannelId, schedule.Forward.ChannelName,
        schedule.Forward.UserId, schedule.Forward.UserName,
        DeliveryView.Preview(schedule.Forward.Text),
        [.. schedule.Groups.Select(g => g.GroupName)], schedule.SendAt, schedule.ZoneId, schedule.When, schedule.State.ToString(),
        schedule.CreatedAt, schedule.FinishedAt, schedule.CancelledBy, schedule.Forward.Id);
}
