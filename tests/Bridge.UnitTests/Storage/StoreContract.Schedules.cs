using Bridge.Forwarding;

namespace Bridge.UnitTests.Storage;

/// <summary>Scheduled sends: stored whole, listed in firing order, and changed atomically (a cancel and a firing, one wins).</summary>
public abstract partial class StoreContract
{
    private protected abstract IScheduleStore Schedules { get; }

    [StoreFact]
    public async Task A_schedule_is_stored_whole_and_its_id_only_once()
    {
        var schedule = NewSchedule("k3x9p", "Hello at nine", At.AddHours(2));
        schedule.Forward.Reply = new ReplyTarget { ConversationId = "C1", ThreadId = "1700000000.000100", ResponseUrl = "https://hooks.slack.com/x" };
        schedule.Groups.Add(Link("B@g.us", session: "s2"));

        Assert.Equal(ScheduleAdded.Added, await Schedules.AddScheduleAsync(schedule, null, default));
        Assert.Equal(ScheduleAdded.IdTaken, await Schedules.AddScheduleAsync(NewSchedule("k3x9p", "another", At.AddHours(3)), null, default));

        var stored = (await Schedules.GetScheduleAsync("k3x9p", default))!;
        Assert.Equal(("Hello at nine", "maria", Channel, "1700000000.000100"), (stored.Forward.Text, stored.Forward.UserName, stored.Channel, stored.Forward.Reply.ThreadId));
        Assert.Equal(schedule.Forward.Id, stored.Forward.Id);
        Assert.Equal([("A@g.us", "s1", "Group A@g.us"), ("B@g.us", "s2", "Group B@g.us")], stored.Groups.Select(g => (g.GroupId, g.SessionId, g.GroupName)));
        Assert.Equal((At.AddHours(2), "Africa/Johannesburg", ScheduleState.Pending, At, (DateTimeOffset?)null), (stored.SendAt, stored.ZoneId, stored.State, stored.CreatedAt, stored.FinishedAt));
        Assert.Null(await Schedules.GetScheduleAsync("nope1", default));
    }

    [StoreFact]
    public async Task A_schedule_claims_its_dedupe_key_in_the_same_step_and_a_refused_one_claims_nothing()
    {
        Assert.Equal(ScheduleAdded.Added, await Schedules.AddScheduleAsync(NewSchedule("k3x9p", "first", At.AddHours(1)), "slack-event:Ev1", default));

        // The same request again (a retry), under a new id: nothing stored.
        Assert.Equal(ScheduleAdded.Duplicate, await Schedules.AddScheduleAsync(NewSchedule("m4y2q", "retry", At.AddHours(1)), "slack-event:Ev1", default));
        Assert.Null(await Schedules.GetScheduleAsync("m4y2q", default));
        Assert.False(await Forwards.TryClaimAsync("slack-event:Ev1", At, default));

        // An id taken: nothing stored, and the key stays free for the next try.
        Assert.Equal(ScheduleAdded.IdTaken, await Schedules.AddScheduleAsync(NewSchedule("k3x9p", "other", At.AddHours(2)), "slack-event:Ev2", default));
        Assert.Equal("first", (await Schedules.GetScheduleAsync("k3x9p", default))!.Forward.Text);
        Assert.True(await Forwards.TryClaimAsync("slack-event:Ev2", At, default));

        // A key claimed by anything else before.
        Assert.Equal(ScheduleAdded.Duplicate, await Schedules.AddScheduleAsync(NewSchedule("p5z3r", "late", At.AddHours(1)), "slack-event:Ev2", default));
        Assert.Single(await Schedules.ListSchedulesAsync(null, waiting: true, 10, default));
    }

    [StoreFact]
    public async Task Waiting_schedules_list_by_time_then_id_and_finished_ones_latest_first_per_channel()
    {
        var other = new ChannelRef(Platform.Teams, "T1", "C1");
        await Schedules.AddScheduleAsync(NewSchedule("bbbbb", "later", At.AddHours(3)), null, default);
        await Schedules.AddScheduleAsync(NewSchedule("ccccc", "same time, higher id", At.AddHours(1)), null, default);
        await Schedules.AddScheduleAsync(NewSchedule("aaaaa", "same time, lower id", At.AddHours(1)), null, default);
        await Schedules.AddScheduleAsync(NewSchedule("ddddd", "elsewhere", At.AddMinutes(30), other), null, default);
        await Schedules.AddScheduleAsync(NewSchedule("eeeee", "sent", At.AddMinutes(5)), null, default);
        await Schedules.AddScheduleAsync(NewSchedule("fffff", "cancelled", At.AddMinutes(6)), null, default);
        await Schedules.UpdateScheduleAsync("eeeee", s => Finish(s, ScheduleState.Sent, At.AddMinutes(5)), default);
        await Schedules.UpdateScheduleAsync("fffff", s => Finish(s, ScheduleState.Cancelled, At.AddMinutes(1)), default);
        await Schedules.UpdateScheduleAsync("bbbbb", s => Finish(s, ScheduleState.Sending, null), default);

        Assert.Equal(["aaaaa", "ccccc", "bbbbb"], (await Schedules.ListSchedulesAsync(Channel, waiting: true, 10, default)).Select(s => s.Id));
        Assert.Equal(["ddddd", "aaaaa", "ccccc", "bbbbb"], (await Schedules.ListSchedulesAsync(null, waiting: true, 10, default)).Select(s => s.Id));
        Assert.Equal(["ddddd", "aaaaa"], (await Schedules.ListSchedulesAsync(null, waiting: true, 2, default)).Select(s => s.Id));
        Assert.Equal(["eeeee", "fffff"], (await Schedules.ListSchedulesAsync(Channel, waiting: false, 10, default)).Select(s => s.Id));
        Assert.Empty(await Schedules.ListSchedulesAsync(other, waiting: false, 10, default));
    }

    [StoreFact]
    public async Task An_update_that_declines_or_names_no_schedule_changes_nothing()
    {
        await Schedules.AddScheduleAsync(NewSchedule("k3x9p", "Hello", At.AddHours(1)), null, default);

        Assert.Null(await Schedules.UpdateScheduleAsync("k3x9p", s =>
        {
            s.State = ScheduleState.Cancelled;
            return false;
        }, default));
        Assert.Null(await Schedules.UpdateScheduleAsync("nope1", _ => true, default));

        Assert.Equal(ScheduleState.Pending, (await Schedules.GetScheduleAsync("k3x9p", default))!.State);
        var changed = await Schedules.UpdateScheduleAsync("k3x9p", s => Finish(s, ScheduleState.Cancelled, At), default);
        Assert.Equal(ScheduleState.Cancelled, changed!.State);
        Assert.Equal(("U9", At), ((await Schedules.GetScheduleAsync("k3x9p", default))!.CancelledBy, (await Schedules.GetScheduleAsync("k3x9p", default))!.FinishedAt));
    }

    [StoreFact]
    public async Task Of_a_cancel_and_a_firing_at_once_exactly_one_wins()
    {
        for (var i = 0; i < 20; i++)
        {
            var id = $"race{i:x}";
            await Schedules.AddScheduleAsync(NewSchedule(id, "race", At), null, default);
            var cancel = Task.Run(() => Schedules.UpdateScheduleAsync(id, s => s.State == ScheduleState.Pending && Finish(s, ScheduleState.Cancelled, At), default));
            var fire = Task.Run(() => Schedules.UpdateScheduleAsync(id, s => s.IsWaiting && Finish(s, ScheduleState.Sending, null), default));

            var (cancelled, fired) = (await cancel, await fire);

            Assert.True(cancelled is null ^ fired is null);
            Assert.Equal(cancelled is null ? ScheduleState.Sending : ScheduleState.Cancelled, (await Schedules.GetScheduleAsync(id, default))!.State);
        }
    }

    [StoreFact]
    public async Task Two_firers_of_one_schedule_accept_it_once()
    {
        var schedule = NewSchedule("k3x9p", "once", At);
        await Schedules.AddScheduleAsync(schedule, null, default);

        // Both start it (a replica resumes one left Sending by a crash) and accept it with the schedule's key, each
        // as a forward of its own id, as the schedule worker does.
        var firers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var sending = await Schedules.UpdateScheduleAsync("k3x9p", s => s.IsWaiting && Finish(s, ScheduleState.Sending, null), default);
            sending!.Forward.Id = Guid.NewGuid().ToString("N");
            return await Forwards.AcceptAsync(sending.Forward, sending.Groups, "scheduled:k3x9p", default);
        })).ToList();
        var results = await Task.WhenAll(firers);

        var accepted = Assert.Single(results, r => r.Accepted);
        Assert.All(results, r => Assert.Equal(accepted.ForwardId, r.ForwardId));
        Assert.Single(await Forwards.GetJobsAsync(accepted.ForwardId, default));
        Assert.Single(await Forwards.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [StoreFact]
    public async Task Retention_deletes_only_schedules_finished_before_the_cutoff()
    {
        foreach (var id in new[] { "oldsn", "oldcc", "newsn", "waitn" })
        {
            await Schedules.AddScheduleAsync(NewSchedule(id, id, At), null, default);
        }

        await Schedules.UpdateScheduleAsync("oldsn", s => Finish(s, ScheduleState.Sent, At.AddDays(-10)), default);
        await Schedules.UpdateScheduleAsync("oldcc", s => Finish(s, ScheduleState.Cancelled, At.AddDays(-10)), default);
        await Schedules.UpdateScheduleAsync("newsn", s => Finish(s, ScheduleState.Sent, At), default);

        Assert.Equal(2, await Schedules.PurgeFinishedSchedulesAsync(At.AddDays(-1), default));

        Assert.Null(await Schedules.GetScheduleAsync("oldsn", default));
        Assert.Null(await Schedules.GetScheduleAsync("oldcc", default));
        Assert.NotNull(await Schedules.GetScheduleAsync("newsn", default));
        Assert.NotNull(await Schedules.GetScheduleAsync("waitn", default));
    }

    private static bool Finish(ScheduledSend schedule, ScheduleState state, DateTimeOffset? at)
    {
        schedule.State = state;
        schedule.FinishedAt = at;
        schedule.CancelledBy = state == ScheduleState.Cancelled ? "U9" : null;
        return true;
    }

    private static ScheduledSend NewSchedule(string id, string text, DateTimeOffset sendAt, ChannelRef? channel = null)
    {
        var forward = NewForward(text);
        (forward.Platform, forward.WorkspaceId, forward.ChannelId) = ((channel ?? Channel).Platform, (channel ?? Channel).WorkspaceId, (channel ?? Channel).ChannelId);
        return new ScheduledSend
        {
            Id = id,
            Forward = forward,
            Groups = [Link("A@g.us", channel: channel)],
            SendAt = sendAt,
            ZoneId = "Africa/Johannesburg",
            CreatedAt = At,
        };
    }
}
