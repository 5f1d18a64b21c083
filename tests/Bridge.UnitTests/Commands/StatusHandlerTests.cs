using Bridge.Forwarding;
using Bridge.WhatsApp;
using static Bridge.UnitTests.Commands.CommandTestBed;

namespace Bridge.UnitTests.Commands;

public sealed class StatusHandlerTests
{
    private readonly CommandTestBed _bed = new();

    [Fact]
    public async Task Handle_NotLinked_SaysHowToLink()
    {
        var answer = await _bed.Status().HandleAsync(Request("status"), CancellationToken.None);

        Assert.Equal(ForwardOutcome.NotLinkedSentence(Usage), answer);
    }

    [Fact]
    public async Task Handle_Links_TellEachPhoneState()
    {
        await _bed.LinkAsync("g1@g.us", "Ops", sessionId: "s1");
        await _bed.LinkAsync("g2@g.us", "Sales", sessionId: "s2");
        await _bed.LinkAsync("g3@g.us", "Field", sessionId: "gone");
        _bed.TalkNTalk.Phones.AddRange([new Phone("s1", "Main", "open", "+27000000001"), new Phone("s2", "Backup", "close", "+27000000002")]);

        var answer = await _bed.Status().HandleAsync(Request("status"), CancellationToken.None);

        Assert.Equal(
            "This channel sends to:\n"
            + "• Ops (g1@g.us): ✅ phone connected (open)\n"
            + "• Sales (g2@g.us): ⚠️ phone not connected (close): reconnect it in the TalkNTalk dashboard\n"
            + "• Field (g3@g.us): ⚠️ its phone is not in the organisation any more",
            answer);
    }
}
