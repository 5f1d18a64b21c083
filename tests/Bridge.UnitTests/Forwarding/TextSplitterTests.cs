using Bridge.Forwarding;

namespace Bridge.UnitTests.Forwarding;

public sealed class TextSplitterTests
{
    [Theory]
    [InlineData("short", 10, new[] { "short" })]
    [InlineData("exactly10!", 10, new[] { "exactly10!" })]
    [InlineData("  padded text \n", 20, new[] { "padded text" })]
    [InlineData("", 10, new string[0])]
    [InlineData(" \n\t ", 10, new string[0])]
    [InlineData("one two three four", 10, new[] { "one two", "three four" })]
    [InlineData("alpha beta\ngamma delta", 16, new[] { "alpha beta", "gamma delta" })]
    [InlineData("first line\nsecond line", 15, new[] { "first line", "second line" })]
    [InlineData("a\nbbbbbb cccc", 10, new[] { "a\nbbbbbb", "cccc" })]
    [InlineData("abcdefghijklmnopqrstuvwxyz", 10, new[] { "abcdefghij", "klmnopqrst", "uvwxyz" })]
    [InlineData("see https://example.com/a/very/long/path ok", 12, new[] { "see", "https://exam", "ple.com/a/ve", "ry/long/path", "ok" })]
    [InlineData("para one.\n\npara two.", 12, new[] { "para one.", "para two." })]
    public void Split_Text_PartsAtBoundaries(string text, int limit, string[] expected) =>
        Assert.Equal(expected, TextSplitter.Split(text, limit));

    [Fact]
    public void Split_TextUnderWhatsAppLimit_OnePart()
    {
        var text = new string('x', TextSplitter.WhatsAppTextLimit);

        Assert.Equal([text], TextSplitter.Split(text));
    }

    [Fact]
    public void Split_LongProse_EveryPartWithinTheLimitAndNoWordLostOrCut()
    {
        var words = Enumerable.Range(0, 3000).Select(i => $"word{i}").ToArray();
        var text = string.Join(' ', words);

        var parts = TextSplitter.Split(text);

        Assert.True(parts.Count > 1);
        Assert.All(parts, part => Assert.InRange(part.Length, 1, TextSplitter.WhatsAppTextLimit));
        Assert.Equal(words, parts.SelectMany(part => part.Split(' ')));
    }

    [Fact]
    public void Split_LinesBeyondHalfTheWindow_CutAtTheLastLineBreak()
    {
        var text = "aaa bbb ccc\nddd eee";

        var parts = TextSplitter.Split(text, 16);

        Assert.Equal(["aaa bbb ccc", "ddd eee"], parts);
    }

    [Fact]
    public void Split_EarlyLineBreakThenLongLine_CutAtTheLastSpaceInstead()
    {
        // A line break in the first half would make a tiny part; the last space keeps parts full.
        var parts = TextSplitter.Split("ab\ncd ef gh ij kl", 12);

        Assert.Equal(["ab\ncd ef gh", "ij kl"], parts);
    }

    [Fact]
    public void Split_SurrogatePairOnTheCut_KeptWhole()
    {
        var text = "abcd😀efgh";

        var parts = TextSplitter.Split(text, 5);

        Assert.Equal(["abcd", "😀efg", "h"], parts);
        Assert.All(parts, part => Assert.False(char.IsHighSurrogate(part[^1])));
    }

    [Fact]
    public void Split_OnlyEmoji_NoPairBroken()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 50));

        var parts = TextSplitter.Split(text, 7);

        Assert.All(parts, part =>
        {
            Assert.InRange(part.Length, 1, 7);
            Assert.True(char.IsHighSurrogate(part[0]));
            Assert.True(char.IsLowSurrogate(part[^1]));
        });
        Assert.Equal(text, string.Concat(parts));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Split_LimitBelowTwo_Refused(int limit) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TextSplitter.Split("text", limit));
}
