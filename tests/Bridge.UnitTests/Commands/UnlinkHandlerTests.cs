using static Bridge.UnitTests.Commands.CommandTestBed;

namespace Bridge.UnitTests.Commands;

public sealed class UnlinkHandlerTests
{
    private readonly CommandTestBed _bed = new();

    [Fact]
    public async Task Handle_NotLinked_SaysSoAndAsksNoOne()
    {
        var answer = await _bed.Unlink().HandleAsync(Request("unlink", AdminId), CancellationToken.None);

        Assert.Equal("This channel is not linked to any WhatsApp group.", answer);
        Assert.Equal(0, _bed.Admins.Checks);
    }

    [Fact]
    public async Task Handle_NotAnAdmin_IsRefusedAndRemovesNothing()
    {
        await _bed.LinkAsync("g1@g.us", "Ops");

        var answer = await _bed.Unlink().HandleAsync(Request("unlink", "U1"), CancellationToken.None);

        Assert.StartsWith("Only Bridge admins can link and unlink channels.", answer);
        Assert.Single(await _bed.LinksAsync());
    }

    [Fact]
    public async Task Handle_OneLinkAndNoGroupGiven_RemovesIt()
    {
        await _bed.LinkAsync("g1@g.us", "Ops");

        var answer = await _bed.Unlink().HandleAsync(Request("unlink", AdminId), CancellationToken.None);

        Assert.Equal("Unlinked this channel from WhatsApp group Ops.", answer);
        Assert.Empty(await _bed.LinksAsync());
    }

    [Fact]
    public async Task Handle_SeveralLinksAndNoGroupGiven_ListsThemAndRemovesNothing()
    {
        await _bed.LinkAsync("g1@g.us", "Ops");
        await _bed.LinkAsync("g2@g.us", "Sales");

        var answer = await _bed.Unlink().HandleAsync(Request("unlink", AdminId), CancellationToken.None);

        Assert.Equal("This channel is linked to several groups. Say which: `/whatsapp unlink <group>`\n• Ops (g1@g.us)\n• Sales (g2@g.us)", answer);
        Assert.Equal(2, (await _bed.LinksAsync()).Count);
    }

    [Theory]
    [InlineData("sales")]
    [InlineData("G2@g.us")]
    public async Task Handle_GroupByNameOrId_RemovesThatLinkOnly(string group)
    {
        await _bed.LinkAsync("g1@g.us", "Ops");
        await _bed.LinkAsync("g2@g.us", "Sales");

        var answer = await _bed.Unlink().HandleAsync(Request("unlink " + group, AdminId), CancellationToken.None);

        Assert.Equal("Unlinked this channel from WhatsApp group Sales.", answer);
        Assert.Equal("g1@g.us", Assert.Single(await _bed.LinksAsync()).GroupId);
    }

    [Fact]
    public async Task Handle_GroupNotLinked_ListsTheLinks()
    {
        await _bed.LinkAsync("g1@g.us", "Ops");

        var answer = await _bed.Unlink().HandleAsync(Request("unlink Marketing", AdminId), CancellationToken.None);

        Assert.Equal("This channel has no link to \"Marketing\". Its links:\n• Ops (g1@g.us)", answer);
        Assert.Single(await _bed.LinksAsync());
    }
}
