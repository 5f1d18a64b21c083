using Bridge.Slack;

namespace Bridge.UnitTests.Slack;

public sealed class SlackTextTests
{
    [Fact]
    public void Quote_CutAtAnAmpersand_EscapesTheWholeCharacter() =>
        Assert.Equal("> ab&amp;…", SlackText.Quote("ab&c", limit: 3));

    [Fact]
    public void Cut_InsideASurrogatePair_CutsBeforeIt() =>
        Assert.Equal("ab…", SlackText.Cut("ab👍c", 3));

    [Fact]
    public void Cut_InsideAnEmojiSequence_KeepsTheSequenceWholeOrOut() =>
        Assert.Equal("a…", SlackText.Cut("a👍🏽b", 4));

    [Fact]
    public void Cut_TextWithinTheLimit_IsUnchanged() =>
        Assert.Equal("a👍", SlackText.Cut("a👍", 3));
}
