using Bridge.Forwarding;

namespace Bridge.UnitTests.Forwarding;

public sealed class LogValueTests
{
    [Theory]
    [InlineData("Ev1\nforged", "Ev1?forged")]
    [InlineData("a\u2028b\u2029c", "a?b?c")] // line and paragraph separators end a line in many log viewers
    [InlineData("\u001b[31mred", "?[31mred")]
    public void Clean_LineBreaksAndControlCharacters_BecomeQuestionMarks(string value, string expected) =>
        Assert.Equal(expected, LogValue.Clean(value));
}
