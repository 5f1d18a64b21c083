using static Bridge.UnitTests.Commands.CommandTestBed;
using static Bridge.UnitTests.Infrastructure.StubTalkNTalk;

namespace Bridge.UnitTests.Commands;

public sealed class GroupsHandlerTests
{
    private readonly CommandTestBed _bed = new();

    [Fact]
    public async Task Handle_ListsTheGroupsByName()
    {
        _bed.TalkNTalk.Groups.AddRange([Group("g2@g.us", "sales"), Group("g1@g.us", "Ops")]);

        var answer = await _bed.Groups().HandleAsync(Request("groups"), CancellationToken.None);

        Assert.Equal("WhatsApp groups (2):\n• Ops (g1@g.us)\n• sales (g2@g.us)", answer);
    }

    [Theory]
    [InlineData("OPS")]
    [InlineData("g1@")]
    public async Task Handle_Filter_MatchesNameOrChatId(string filter)
    {
        _bed.TalkNTalk.Groups.AddRange([Group("g2@g.us", "Sales"), Group("g1@g.us", "Ops")]);

        var answer = await _bed.Groups().HandleAsync(Request("groups " + filter), CancellationToken.None);

        Assert.Equal("WhatsApp groups (1):\n• Ops (g1@g.us)", answer);
    }

    [Fact]
    public async Task Handle_FilterMatchingNothing_SaysSo()
    {
        _bed.TalkNTalk.Groups.Add(Group("g1@g.us", "Ops"));

        Assert.Equal("No WhatsApp group matches \"hr\".", await _bed.Groups().HandleAsync(Request("groups hr"), CancellationToken.None));
    }

    [Fact]
    public async Task Handle_NoGroups_SaysWhereTheyComeFrom()
    {
        var answer = await _bed.Groups().HandleAsync(Request("groups"), CancellationToken.None);

        Assert.StartsWith("The WhatsApp phone has no groups yet.", answer);
    }

    [Fact]
    public async Task Handle_ManyGroups_ListsThirtyAndCountsTheRest()
    {
        _bed.TalkNTalk.Groups.AddRange(Enumerable.Range(10, 35).Select(i => Group($"g{i}@g.us", $"Group {i}")));

        var answer = await _bed.Groups().HandleAsync(Request("groups"), CancellationToken.None);

        Assert.StartsWith("WhatsApp groups (35):\n• Group 10 (g10@g.us)", answer);
        Assert.Equal(30, answer.Split('\n').Count(l => l.StartsWith('•')));
        Assert.EndsWith("\n…and 5 more; add a filter to narrow the list.", answer);
    }
}
