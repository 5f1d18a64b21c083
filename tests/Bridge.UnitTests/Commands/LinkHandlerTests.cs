using static Bridge.UnitTests.Commands.CommandTestBed;
using static Bridge.UnitTests.Infrastructure.StubTalkNTalk;

namespace Bridge.UnitTests.Commands;

public sealed class LinkHandlerTests
{
    private readonly CommandTestBed _bed = new();

    public LinkHandlerTests() => _bed.TalkNTalk.Groups.AddRange(
    [
        Group("120363001@g.us", "Ops"),
        Group("120363002@g.us", "Sales"),
        Group("120363003@g.us", "SALES"),
    ]);

    [Fact]
    public async Task Handle_NoGroupGiven_SaysHowAndAsksNoOne()
    {
        var answer = await _bed.Link().HandleAsync(Request("link", AdminId), CancellationToken.None);

        Assert.Equal("Say which group: `/whatsapp link <group name or chat_id>`. `/whatsapp groups` lists them.", answer);
        Assert.Equal(0, _bed.Admins.Checks);
    }

    [Fact]
    public async Task Handle_NotAnAdmin_IsRefusedAndLinksNothing()
    {
        var answer = await _bed.Link().HandleAsync(Request("link Ops", "U1"), CancellationToken.None);

        Assert.Equal("Only Bridge admins can link and unlink channels. Ask an admin to run this command.", answer);
        Assert.Empty(await _bed.LinksAsync());
    }

    [Fact]
    public async Task Handle_AdminCheckFails_SaysWhyAndLinksNothing()
    {
        _bed.Admins.Failure = new InvalidOperationException("missing_scope");

        var answer = await _bed.Link().HandleAsync(Request("link Ops", AdminId), CancellationToken.None);

        Assert.StartsWith("Bridge could not check whether you are an admin (missing_scope), so nothing was changed.", answer);
        Assert.Empty(await _bed.LinksAsync());
    }

    [Fact]
    public async Task Handle_AdminNamesAGroup_LinksItInTheDefaultSession()
    {
        var answer = await _bed.Link().HandleAsync(Request("link ops", AdminId), CancellationToken.None);

        Assert.Equal("Linked this channel to WhatsApp group Ops (120363001@g.us). Messages sent with `/whatsapp <text>` now go there.", answer);
        var link = Assert.Single(await _bed.LinksAsync());
        Assert.Equal(("s1", "120363001@g.us", "Ops", AdminId, _bed.Time.GetUtcNow()), (link.SessionId, link.GroupId, link.GroupName, link.CreatedBy, link.CreatedAt));
    }

    [Fact]
    public async Task Handle_AlreadyLinked_SaysSoAndAddsNoSecondLink()
    {
        await _bed.Link().HandleAsync(Request("link 120363001@g.us", AdminId), CancellationToken.None);

        var answer = await _bed.Link().HandleAsync(Request("link Ops", AdminId), CancellationToken.None);

        Assert.Equal("This channel is already linked to WhatsApp group Ops.", answer);
        Assert.Single(await _bed.LinksAsync());
    }

    [Fact]
    public async Task Handle_NameOfTwoGroups_ListsThemAndLinksNothing()
    {
        var answer = await _bed.Link().HandleAsync(Request("link sales", AdminId), CancellationToken.None);

        Assert.Equal(
            "\"sales\" matches several groups. Did you mean:\n• Sales (120363002@g.us)\n• SALES (120363003@g.us)\nRun `/whatsapp link <chat_id>` with the one you want.",
            answer);
        Assert.Empty(await _bed.LinksAsync());
    }

    [Fact]
    public async Task Handle_CloseName_SuggestsIt()
    {
        var answer = await _bed.Link().HandleAsync(Request("link Salse", AdminId), CancellationToken.None);

        Assert.StartsWith("\"Salse\" is not an exact group name. Did you mean:\n• Sales (120363002@g.us)", answer);
        Assert.Empty(await _bed.LinksAsync());
    }

    [Fact]
    public async Task Handle_UnknownName_SaysSo()
    {
        var answer = await _bed.Link().HandleAsync(Request("link Marketing Leadership", AdminId), CancellationToken.None);

        Assert.StartsWith("No WhatsApp group is called \"Marketing Leadership\".", answer);
        Assert.Empty(await _bed.LinksAsync());
    }
}
