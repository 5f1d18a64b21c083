using Bridge.Commands;
using Bridge.WhatsApp;
using static Bridge.UnitTests.Infrastructure.StubTalkNTalk;

namespace Bridge.UnitTests.Commands;

public sealed class GroupMatcherTests
{
    private static readonly IReadOnlyList<Group> Groups =
    [
        Group("120363001@g.us", "Ops Alerts"),
        Group("120363002@g.us", "Sales"),
        Group("120363003@g.us", "sales"),
        Group("120363004@g.us", "Engineering"),
        Group("120363005@g.us", "Ops Alerts EU"),
    ];

    [Fact]
    public void Find_ByChatId_IgnoresCase()
    {
        var match = GroupMatcher.Find(Groups, "120363004@G.US");

        Assert.Equal("Engineering", match.Group?.Name);
        Assert.Empty(match.Candidates);
    }

    [Fact]
    public void Find_ExactNameInAnotherCase_IsTheGroup()
    {
        var match = GroupMatcher.Find(Groups, "ops alerts");

        Assert.Equal("120363001@g.us", match.Group?.ChatId);
        Assert.False(match.Ambiguous);
    }

    [Fact]
    public void Find_TwoGroupsWithTheName_IsAmbiguousAndListsBoth()
    {
        var match = GroupMatcher.Find(Groups, "SALES");

        Assert.Null(match.Group);
        Assert.True(match.Ambiguous);
        Assert.Equal(["120363002@g.us", "120363003@g.us"], match.Candidates.Select(g => g.ChatId));
    }

    [Fact]
    public void Find_CloseName_SuggestsTheClosestFirst()
    {
        var match = GroupMatcher.Find(Groups, "Enginering");

        Assert.Null(match.Group);
        Assert.False(match.Ambiguous);
        Assert.Equal("Engineering", match.Candidates[0].Name);
    }

    [Fact]
    public void Find_PartOfNames_SuggestsEveryGroupContainingIt()
    {
        var match = GroupMatcher.Find(Groups, "alerts");

        Assert.Null(match.Group);
        Assert.Equal(["Ops Alerts", "Ops Alerts EU"], match.Candidates.Select(g => g.Name));
    }

    [Fact]
    public void Find_NothingClose_HasNoCandidates()
    {
        var match = GroupMatcher.Find(Groups, "Marketing Leadership");

        Assert.Null(match.Group);
        Assert.Empty(match.Candidates);
    }
}
