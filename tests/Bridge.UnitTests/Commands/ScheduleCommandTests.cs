using Bridge.Forwarding;
using static Bridge.UnitTests.Commands.CommandTestBed;

namespace Bridge.UnitTests.Commands;

/// <summary>Scheduling with <c>at</c> and <c>in</c>, listing with <c>scheduled</c>, cancelling with <c>cancel</c>: over the in-memory store.</summary>
public sealed class ScheduleCommandTests
{
    // The bed's clock: Sunday 1 March 2026, 09:00 UTC, 11:00 in Johannesburg.
    private readonly CommandTestBed _bed = new();

    [Fact]
    public async Task At_a_time_schedules_its_next_occurrence_in_the_senders_zone_and_sends_nothing_now()
    {
        await _bed.LinkAsync("g1@g.us", "Field Team");

        var answer = await ExecuteAsync("at 09:00 Gate opens at ten", timeZone: "Africa/Johannesburg");

        var schedule = Assert.Single(await WaitingAsync());
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 7, 0, 0, TimeSpan.Zero), schedule.SendAt);
        Assert.Equal(("Gate opens at ten", "Africa/Johannesburg", ScheduleState.Pending), (schedule.Forward.Text, schedule.ZoneId, schedule.State));
        Assert.Equal(
            $"⏰ Scheduled for Mon 2 Mar 09:00 (Africa/Johannesburg) to WhatsApp group Field Team (id `{schedule.Id}`). Times are read in your time zone, Africa/Johannesburg. "
            + $"The result will be posted in the thread then. `/whatsapp cancel {schedule.Id}` cancels it.",
            answer);
        Assert.Empty(_bed.Scheduler.Calls);
        Assert.Empty(await _bed.Store.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task At_a_date_and_time_is_that_moment_in_the_senders_zone()
    {
        await _bed.LinkAsync("g1@g.us", "Field Team");

        var answer = await ExecuteAsync("at 2026-12-24 08:30 Merry Christmas", timeZone: "Africa/Johannesburg");

        var schedule = Assert.Single(await WaitingAsync());
        Assert.Equal(new DateTimeOffset(2026, 12, 24, 6, 30, 0, TimeSpan.Zero), schedule.SendAt);
        Assert.StartsWith("⏰ Scheduled for Thu 24 Dec 08:30 (Africa/Johannesburg)", answer);
    }

    [Fact]
    public async Task In_a_span_counts_from_now_and_without_a_zone_says_times_are_read_as_UTC()
    {
        await _bed.LinkAsync("g1@g.us", "Field Team");

        var answer = await ExecuteAsync("in 2h Reminder");

        var schedule = Assert.Single(await WaitingAsync());
        Assert.Equal(_bed.Time.GetUtcNow().AddHours(2), schedule.SendAt);
        Assert.Equal("UTC", schedule.ZoneId);
        Assert.Contains("Sun 1 Mar 11:00 (UTC)", answer);
        Assert.Contains("Times are read as UTC: Slack did not say your time zone.", answer);
    }

    [Theory]
    [InlineData("at 2026-02-01 08:00 too late", "That time has passed. Write `at 09:00`, `at 2026-12-24 08:30` or `in 2h`, then the message.")]
    [InlineData("at 25:00 no such hour", "25:00 is not a time. Write `at 09:00`")]
    [InlineData("at 2026-02-30 08:00 no such day", "2026-02-30 is not a date.")]
    [InlineData("in 2h", "Add the message after the time")]
    public async Task A_past_or_unreadable_time_is_refused_with_an_example_and_stores_nothing(string text, string expected)
    {
        await _bed.LinkAsync("g1@g.us", "Field Team");

        var answer = await ExecuteAsync(text, timeZone: "Africa/Johannesburg");

        Assert.StartsWith("Nothing was scheduled.", answer);
        Assert.Contains(expected, answer);
        Assert.Empty(await WaitingAsync());
        Assert.Empty(_bed.Scheduler.Calls);
    }

    [Fact]
    public async Task Text_that_only_looks_like_a_time_is_sent_now()
    {
        await _bed.LinkAsync("g1@g.us", "Field Team");

        var answer = await ExecuteAsync("at the gate in 5 minutes");

        Assert.StartsWith("Sending to WhatsApp group Field Team.", answer);
        Assert.Empty(await WaitingAsync());
    }

    [Fact]
    public async Task A_scheduled_message_with_files_is_refused()
    {
        await _bed.LinkAsync("g1@g.us", "Field Team");
        var request = await _bed.RequestAsync("in 1h the plan");
        request.Forward!.Attachments.Add(new Attachment { Name = "plan.pdf", SourceUrl = "https://example.com/plan.pdf" });

        var answer = await _bed.Dispatcher().ExecuteAsync(request, CancellationToken.None);

        Assert.Equal("Nothing was scheduled: Bridge can schedule text only, and this message has files. Send the files now, or schedule the text alone.", answer);
        Assert.Empty(await WaitingAsync());
    }

    [Fact]
    public async Task The_same_request_twice_is_scheduled_once()
    {
        await _bed.LinkAsync("g1@g.us", "Field Team");

        await ExecuteAsync("in 1h once", dedupeKey: "teams:conv:1");
        var again = await ExecuteAsync("in 1h once", dedupeKey: "teams:conv:1");

        Assert.Equal("This message was scheduled already.", again);
        Assert.Single(await WaitingAsync());
    }

    [Fact]
    public async Task Scheduled_lists_this_channels_pending_sends_in_order_with_ids()
    {
        await _bed.LinkAsync("g1@g.us", "Field Team");
        Assert.Equal("Nothing is scheduled in this channel. Schedule a message with `/whatsapp at 09:00 <text>` or `/whatsapp in 2h <text>`.", await ExecuteAsync("scheduled"));
        await ExecuteAsync("in 3h the third one", userName: "maria");
        await ExecuteAsync("in 1h first of all, a rather long message that goes on and on", userName: "sipho");

        var answer = await ExecuteAsync("scheduled");

        var ids = (await WaitingAsync()).Select(s => s.Id).ToList();
        Assert.Equal(
            $"""
            Scheduled in this channel:
            • `{ids[0]}` Sun 1 Mar 10:00 (UTC) to Field Team, by sipho: first of all, a rather long message that …
            • `{ids[1]}` Sun 1 Mar 12:00 (UTC) to Field Team, by maria: the third one
            `/whatsapp cancel <id>` cancels one (its sender or a Bridge admin).
            """.ReplaceLineEndings("\n"),
            answer);
    }

    [Fact]
    public async Task The_sender_cancels_and_the_cancelled_send_is_never_listed_or_sent()
    {
        await _bed.LinkAsync("g1@g.us", "Field Team");
        await ExecuteAsync("in 1h never mind", userId: "U1");
        var id = Assert.Single(await WaitingAsync()).Id;

        var answer = await ExecuteAsync($"cancel {id.ToUpperInvariant()}", userId: "U1", userName: "maria");

        Assert.Equal($"Cancelled `{id}` (Sun 1 Mar 10:00 (UTC) to Field Team): it will not be sent.", answer);
        Assert.Empty(await WaitingAsync());
        var cancelled = (await _bed.Store.GetScheduleAsync(id, default))!;
        Assert.Equal((ScheduleState.Cancelled, "maria"), (cancelled.State, cancelled.CancelledBy));
        Assert.Equal($"`{id}` was already cancelled by maria.", await ExecuteAsync($"cancel {id}", userId: "U1"));
        Assert.Equal(0, _bed.Admins.Checks);
    }

    [Fact]
    public async Task Someone_else_is_refused_and_an_admin_may_cancel()
    {
        await _bed.LinkAsync("g1@g.us", "Field Team");
        await ExecuteAsync("in 1h big news", userId: "U1", userName: "maria");
        var id = Assert.Single(await WaitingAsync()).Id;

        var refused = await ExecuteAsync($"cancel {id}", userId: "U2");

        Assert.Equal("Only the person who scheduled it (maria) or a Bridge admin can cancel it.", refused);
        Assert.Single(await WaitingAsync());

        var cancelled = await ExecuteAsync($"cancel {id}", userId: AdminId, userName: "admin");

        Assert.StartsWith($"Cancelled `{id}`", cancelled);
        Assert.Empty(await WaitingAsync());
    }

    [Theory]
    [InlineData("cancel", "Say which: `/whatsapp cancel <id>`.")]
    [InlineData("cancel zzzzz", "There is no scheduled message `zzzzz` in this channel.")]
    public async Task Cancel_without_a_known_id_says_how(string text, string expected)
    {
        await _bed.LinkAsync("g1@g.us", "Field Team");

        Assert.StartsWith(expected, await ExecuteAsync(text));
    }

    private async Task<string> ExecuteAsync(string text, string userId = "U1", string? timeZone = null, string? userName = null, string? dedupeKey = null) =>
        await _bed.Dispatcher().ExecuteAsync(await _bed.RequestAsync(text, userId, dedupeKey, timeZone: timeZone, userName: userName), CancellationToken.None);

    private async Task<IReadOnlyList<ScheduledSend>> WaitingAsync() =>
        await _bed.Store.ListSchedulesAsync(Channel, waiting: true, 100, CancellationToken.None);
}
