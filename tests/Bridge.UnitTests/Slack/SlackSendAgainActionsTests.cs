using Bridge.Slack;

namespace Bridge.UnitTests.Slack;

public sealed class SlackSendAgainActionsTests
{
    [Fact]
    public void OutcomeBlocks_LongerThanOneSection_SplitsBetweenLinesAndKeepsEveryLine()
    {
        var lines = Enumerable.Range(0, 80).Select(i => $"❌ Not sent to WhatsApp group {i}: " + new string('x', 60)).ToList();

        var blocks = SlackSendAgainActions.OutcomeBlocks(string.Join("\n", lines), "f:1");

        var sections = blocks.Where(b => (string?)b!["type"] == "section").Select(b => (string)b!["text"]!["text"]!).ToList();
        Assert.True(sections.Count > 1);
        Assert.All(sections, text => Assert.InRange(text.Length, 1, 3000));
        Assert.Equal(lines, sections.SelectMany(text => text.Split('\n')));
        Assert.Equal("actions", (string?)blocks[^1]!["type"]);
    }

    [Fact]
    public void OutcomeBlocks_ValueTooLongForAButton_HasNoButton()
    {
        var blocks = SlackSendAgainActions.OutcomeBlocks("❌ Not sent", "f:" + string.Join(",", Enumerable.Range(1_000_000, 300)));

        Assert.DoesNotContain(blocks, b => (string?)b!["type"] == "actions");
    }

    [Fact]
    public void OutcomeBlocks_WithoutValue_IsTheTextAlone() =>
        Assert.Equal("""[{"type":"section","text":{"type":"mrkdwn","text":"✅ Sent"}}]""",
            SlackSendAgainActions.OutcomeBlocks("✅ Sent", null).ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
}
