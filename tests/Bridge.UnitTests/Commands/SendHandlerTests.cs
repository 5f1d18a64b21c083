using Bridge.Forwarding;
using static Bridge.UnitTests.Commands.CommandTestBed;

namespace Bridge.UnitTests.Commands;

public sealed class SendHandlerTests
{
    private readonly CommandTestBed _bed = new();

    [Fact]
    public async Task Handle_ChannelNotLinked_SaysHowToLinkAndSendsNothing()
    {
        var answer = await _bed.Send().HandleAsync(await _bed.RequestAsync("send hello"), CancellationToken.None);

        Assert.Equal(ForwardOutcome.NotLinkedSentence(Usage), answer);
        Assert.Empty(_bed.Scheduler.Calls);
    }

    [Fact]
    public async Task Handle_NothingToSend_SaysSo()
    {
        await _bed.LinkAsync("g1@g.us", "Ops");

        var answer = await _bed.Send().HandleAsync(await _bed.RequestAsync("send   "), CancellationToken.None);

        Assert.Equal("There is nothing to send. Type `/whatsapp <text>`.", answer);
        Assert.Empty(_bed.Scheduler.Calls);
    }

    [Theory]
    [InlineData(true, "in the thread")]
    [InlineData(false, "here")]
    public async Task Handle_Linked_AcceptsTheForwardAndSaysWhereTheResultGoes(bool repliesInThread, string where)
    {
        await _bed.LinkAsync("g1@g.us", "Ops");
        await _bed.LinkAsync("g2@g.us", "Sales");

        var answer = await _bed.Send().HandleAsync(await _bed.RequestAsync("hello team", repliesInThread: repliesInThread), CancellationToken.None);

        Assert.Equal($"Sending to WhatsApp groups Ops, Sales. The result will be posted {where}.", answer);
        var scheduled = Assert.Single(_bed.Scheduler.Calls);
        Assert.Equal("hello team", scheduled.Forward.Text);
        Assert.Equal(2, scheduled.Jobs.Count);
    }

    [Fact]
    public async Task Handle_SameRequestTwice_SaysItWasAlreadySent()
    {
        await _bed.LinkAsync("g1@g.us", "Ops");
        await _bed.Send().HandleAsync(await _bed.RequestAsync("hello", dedupeKey: "trigger-1"), CancellationToken.None);

        var answer = await _bed.Send().HandleAsync(await _bed.RequestAsync("hello", dedupeKey: "trigger-1"), CancellationToken.None);

        Assert.StartsWith("This message was already sent to WhatsApp.\n", answer);
        Assert.Contains("Ops", answer);
        Assert.Single(_bed.Scheduler.Calls);
    }
}
