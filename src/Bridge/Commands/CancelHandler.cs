using Bridge.Forwarding;

namespace Bridge.Commands;

/// <summary><c>cancel &lt;id&gt;</c>: cancels one of this channel's scheduled sends (its sender, or an admin).</summary>
internal sealed class CancelHandler(ScheduledSends schedules, AdminCheck admins)
{
    public async Task<string> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var id = request.Command.Argument;
        if (id.Length == 0)
        {
            return $"Say which: `{request.Usage} cancel <id>`. `{request.Usage} scheduled` lists this channel's scheduled messages and their ids.";
        }

        var schedule = await schedules.GetAsync(id, cancellationToken);
        if (schedule is null || schedule.Channel != request.Channel)
        {
            return $"There is no scheduled message `{id}` in this channel. `{request.Usage} scheduled` lists them.";
        }

        if (schedule.State != ScheduleState.Pending)
        {
            return Finished(schedule);
        }

        if (schedule.Forward.UserId != request.UserId
            && await admins.RefusalAsync(request, $"Only the person who scheduled it ({schedule.Forward.UserName}) or a Bridge admin can cancel it.", cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var cancelled = await schedules.CancelAsync(schedule.Id, request.UserName ?? request.UserId, cancellationToken);
        if (cancelled is null)
        {
            // Its time came (or someone else cancelled it) between the read and the cancel.
            return await schedules.GetAsync(schedule.Id, cancellationToken) is { } now ? Finished(now) : $"There is no scheduled message `{id}` in this channel.";
        }

        return $"Cancelled `{cancelled.Id}` ({cancelled.When} to {string.Join(", ", cancelled.Groups.Select(g => g.GroupName))}): it will not be sent.";
    }

    private static string Finished(ScheduledSend schedule) => schedule.State == ScheduleState.Cancelled
        ? $"`{schedule.Id}` was already cancelled by {schedule.CancelledBy}."
        : $"`{schedule.Id}` was already sent at its time ({schedule.When}); a sent message can't be taken back.";
}
