using System.Net;
using Bridge.Forwarding;
using static Bridge.UnitTests.Commands.CommandTestBed;
using static Bridge.UnitTests.Infrastructure.StubTalkNTalk;

namespace Bridge.UnitTests.Commands;

public sealed class CommandDispatcherTests
{
    private readonly CommandTestBed _bed = new();

    public static readonly TheoryData<string> EveryCommandButHelp = ["hello", "send hello", "link Ops", "unlink", "groups", "status"];

    [Theory]
    [MemberData(nameof(EveryCommandButHelp))]
    public async Task Execute_WhatsAppNotConfigured_SaysSoAndDoesNothing(string text)
    {
        await _bed.LinkAsync("g1@g.us", "Ops");
        _bed.WhatsApp.ApiKey = null;

        var answer = await _bed.Dispatcher().ExecuteAsync(await _bed.RequestAsync(text, AdminId), CancellationToken.None);

        Assert.Equal(ForwardOutcome.NotConfiguredSentence, answer);
        Assert.Single(await _bed.LinksAsync());
        Assert.Empty(_bed.Scheduler.Calls);
    }

    [Theory]
    [MemberData(nameof(EveryCommandButHelp))]
    public async Task Execute_StoreLost_RefusesAtOnceWithItsReasonAndDoesNothing(string text)
    {
        await _bed.LinkAsync("g1@g.us", "Ops");
        _bed.Availability.MarkLost("its database cannot be reached");

        var answer = await _bed.Dispatcher().ExecuteAsync(await _bed.RequestAsync(text, AdminId), CancellationToken.None);

        Assert.Equal(ForwardOutcome.NotRecordedSentence("its database cannot be reached"), answer);
        Assert.Single(await _bed.LinksAsync());
        Assert.Empty(_bed.Scheduler.Calls);
        Assert.Empty(_bed.TalkNTalk.Sent);
    }

    [Fact]
    public async Task Execute_HelpWhileTheStoreIsLost_StillHelps()
    {
        _bed.Availability.MarkLost("its disk is full");

        var answer = await _bed.Dispatcher().ExecuteAsync(Request("help"), CancellationToken.None);

        Assert.StartsWith("Bridge sends messages from this channel to its linked WhatsApp groups.", answer);
    }

    [Fact]
    public async Task Execute_HelpWhileNotConfigured_StillHelps()
    {
        _bed.WhatsApp.ApiKey = null;

        var answer = await _bed.Dispatcher().ExecuteAsync(Request("help"), CancellationToken.None);

        Assert.StartsWith("Bridge sends messages from this channel to its linked WhatsApp groups.", answer);
        Assert.Contains("• `/whatsapp link <group name or chat_id>`: link this channel to a group (admins)", answer);
    }

    [Theory]
    [InlineData("", "Bridge sends messages from this channel")]
    [InlineData("HELP", "Bridge sends messages from this channel")]
    [InlineData("hello there", "Sending to WhatsApp group Ops.")]
    [InlineData("send hello", "Sending to WhatsApp group Ops.")]
    [InlineData("groups", "WhatsApp groups (2):")]
    [InlineData("status", "This channel sends to:")]
    [InlineData("link Sales", "Linked this channel to WhatsApp group Sales")]
    [InlineData("unlink Ops", "Unlinked this channel from WhatsApp group Ops.")]
    public async Task Execute_EachVerb_GoesToItsHandler(string text, string expectedStart)
    {
        await _bed.LinkAsync("g1@g.us", "Ops");
        _bed.TalkNTalk.Groups.AddRange([Group("g1@g.us", "Ops"), Group("g2@g.us", "Sales")]);

        var answer = await _bed.Dispatcher().ExecuteAsync(await _bed.RequestAsync(text, AdminId), CancellationToken.None);

        Assert.StartsWith(expectedStart, answer);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "Bridge's WhatsApp API key is invalid or was revoked. Tell a Bridge admin to update WhatsApp:ApiKey.")]
    [InlineData(HttpStatusCode.NotFound, "Bridge's WhatsApp phone (WhatsApp:SessionId) is not in the organisation (WhatsApp API said: stubbed failure). Tell a Bridge admin.")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "Bridge could not get an answer from WhatsApp (HTTP 503) (WhatsApp API said: stubbed failure). Nothing was changed; try again in a moment.")]
    public async Task Execute_TalkNTalkFails_AnswersWithTheLookupSentenceAndChangesNothing(HttpStatusCode status, string sentence)
    {
        _bed.TalkNTalk.LookupStatus = status;

        var answer = await _bed.Dispatcher().ExecuteAsync(Request("link Ops", AdminId), CancellationToken.None);

        Assert.Equal(sentence, answer);
        Assert.Empty(await _bed.LinksAsync());
    }
}
