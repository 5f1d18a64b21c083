using Bridge.Forwarding;
using LiteDB;

namespace Bridge.Storage;

/// <summary>Scheduled sends, one document each with its forward and groups; state by name, like every enum here.</summary>
internal sealed partial class LiteDbStore
{
    private static readonly string[] WaitingStates = [nameof(ScheduleState.Pending), nameof(ScheduleState.Sending)];

    private static readonly string[] FinishedStates = [nameof(ScheduleState.Sent), nameof(ScheduleState.Cancelled)];

    private ILiteCollection<ScheduledSend> Schedules => _db!.GetCollection<ScheduledSend>("schedules");

    /// <summary>One write: the id check, the key's claim and the insert share its transaction.</summary>
    public Task<ScheduleAdded> AddScheduleAsync(ScheduledSend schedule, string? dedupeKey, CancellationToken cancellationToken) => Written(() =>
    {
        var schedules = Schedules;
        if (schedules.FindById(schedule.Id) is not null)
        {
            return ScheduleAdded.IdTaken;
        }

        if (dedupeKey is not null && ClaimedBefore(StoreKey.Bounded(dedupeKey), schedule.CreatedAt, forwardId: null) is not null)
        {
            return ScheduleAdded.Duplicate;
        }

        schedules.Insert(schedule);
        return ScheduleAdded.Added;
    });

    public Task<ScheduledSend?> GetScheduleAsync(string id, CancellationToken cancellationToken) =>
        Locked<ScheduledSend?>(() => Schedules.FindById(id));

    public Task<IReadOnlyList<ScheduledSend>> ListSchedulesAsync(ChannelRef? channel, bool waiting, int take, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ScheduledSend>>(() =>
        {
            var found = Schedules.Find(Query.In(nameof(ScheduledSend.State), (waiting ? WaitingStates : FinishedStates).Select(s => new BsonValue(s))))
                .Where(s => channel is null || s.Channel == channel);
            return [.. (waiting ? found.OrderBy(s => s.SendAt).ThenBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal) : found.OrderByDescending(s => s.FinishedAt)).Take(take)];
        });

    public Task<ScheduledSend?> UpdateScheduleAsync(string id, Func<ScheduledSend, bool> change, CancellationToken cancellationToken) => Written(() =>
    {
        var schedules = Schedules;
        if (schedules.FindById(id) is not { } schedule || !change(schedule))
        {
            return null;
        }

        schedules.Update(schedule);
        return schedule;
    });

    public Task<int> PurgeFinishedSchedulesAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken) => Written(() =>
        Schedules.DeleteMany(Query.And(
            Query.In(nameof(ScheduledSend.State), FinishedStates.Select(s => new BsonValue(s))),
            Query.LT(nameof(ScheduledSend.FinishedAt), _mapper.Serialize(finishedBefore)))));
}
