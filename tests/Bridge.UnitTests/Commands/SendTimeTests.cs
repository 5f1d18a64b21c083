using Bridge.Commands;
using Bridge.Forwarding;

namespace Bridge.UnitTests.Commands;

/// <summary>Reading a scheduled send's time from the start of its text, in the sender's time zone.</summary>
public sealed class SendTimeTests
{
    // Tuesday 1 December 2026, 10:15 in Johannesburg (UTC+2, no daylight saving).
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 15, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Johannesburg = ScheduledSend.Zone("Africa/Johannesburg");

    [Theory]
    [InlineData("at 11:00 Standup in 5", "2026-12-01T09:00:00Z", "Standup in 5")]
    [InlineData("at 09:00 Standup", "2026-12-02T07:00:00Z", "Standup")]
    [InlineData("AT 9:30pm Night shift", "2026-12-01T19:30:00Z", "Night shift")]
    [InlineData("at 12am Midnight", "2026-12-01T22:00:00Z", "Midnight")]
    [InlineData("at 2026-12-24 08:30 Happy holidays", "2026-12-24T06:30:00Z", "Happy holidays")]
    [InlineData("at 2027-1-5 7:05 New year", "2027-01-05T05:05:00Z", "New year")]
    [InlineData("in 2h Doors open", "2026-12-01T10:15:00Z", "Doors open")]
    [InlineData("in 1h30m Doors open", "2026-12-01T09:45:00Z", "Doors open")]
    [InlineData("in 45 minutes Bus leaves", "2026-12-01T09:00:00Z", "Bus leaves")]
    [InlineData("in 3 days Payday\nBring receipts", "2026-12-04T08:15:00Z", "Payday\nBring receipts")]
    public void A_time_at_the_start_schedules_the_rest(string text, string expected, string message)
    {
        var scheduled = SendTime.Read(text, Johannesburg, Now);

        Assert.NotNull(scheduled);
        Assert.Null(scheduled.Refusal);
        Assert.Equal((DateTimeOffset.Parse(expected), message), (scheduled.At, scheduled.Text));
    }

    [Theory]
    [InlineData("at the gate at 14:00")]
    [InlineData("at 5 we meet")]
    [InlineData("in 2025 we grew 20%")]
    [InlineData("in 2 dogs' time")]
    [InlineData("Meeting at 09:00")]
    [InlineData("internal note in 2h")]
    public void Text_that_only_looks_like_a_time_is_a_plain_send(string text) =>
        Assert.Null(SendTime.Read(text, Johannesburg, Now));

    [Theory]
    [InlineData("at 25:00 Late", "25:00 is not a time.")]
    [InlineData("at 13pm Late", "13pm is not a time.")]
    [InlineData("at 2026-02-30 08:00 Late", "2026-02-30 is not a date.")]
    [InlineData("at 2026-11-30 08:00 Late", "That time has passed.")]
    [InlineData("at 2028-01-01 08:00 Late", "A send can be scheduled at most 366 days ahead.")]
    [InlineData("in 400 days Late", "400 days is too far ahead.")]
    [InlineData("in 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d 527040d Late", "527040d 527040d")] // each part within bounds, their sum beyond TimeSpan
    [InlineData("at 09:00", "Add the message after the time:")]
    public void A_time_that_cannot_be_used_gets_a_sentence_with_an_example(string text, string start)
    {
        var scheduled = SendTime.Read(text, Johannesburg, Now);

        Assert.NotNull(scheduled);
        Assert.StartsWith(start, scheduled.Refusal);
        if (!start.StartsWith("A send", StringComparison.Ordinal))
        {
            Assert.Contains(SendTime.Examples, scheduled.Refusal);
        }
    }

    [Fact]
    public void A_wall_clock_time_skipped_by_daylight_saving_is_refused_and_a_repeated_one_is_the_earlier()
    {
        var berlin = ScheduledSend.Zone("Europe/Berlin");
        var march = new DateTimeOffset(2027, 3, 27, 12, 0, 0, TimeSpan.Zero);

        Assert.StartsWith("2027-03-28 02:30 does not exist in Europe/Berlin", SendTime.Read("at 2027-03-28 02:30 x", berlin, march)!.Refusal);
        // 02:30 happens twice on 31 October 2027; the first is at UTC+2.
        Assert.Equal(new DateTimeOffset(2027, 10, 31, 0, 30, 0, TimeSpan.Zero), SendTime.Read("at 2027-10-31 02:30 x", berlin, march)!.At);
    }

    [Fact]
    public void Times_are_described_in_the_senders_zone_and_an_unknown_zone_is_UTC()
    {
        Assert.Equal("Thu 24 Dec 08:30 (Africa/Johannesburg)", ScheduledSend.Describe(new DateTimeOffset(2026, 12, 24, 6, 30, 0, TimeSpan.Zero), Johannesburg));
        Assert.Equal(TimeZoneInfo.Utc, ScheduledSend.Zone("Mars/Olympus_Mons"));
        Assert.Equal(TimeZoneInfo.Utc, ScheduledSend.Zone(null));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero), SendTime.Read("at 08:00 x", ScheduledSend.Zone(null), Now)!.At);
    }
}
