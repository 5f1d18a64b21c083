using Bridge.Forwarding;

namespace Bridge.UnitTests.Forwarding;

public sealed class MessagePlannerTests
{
    [Fact]
    public void Plan_TextOnly_OneTextMessage() =>
        Assert.Equal([new PlannedMessage("hello *team*")], MessagePlanner.Plan("  hello *team*\n", 0));

    [Fact]
    public void Plan_NothingAtAll_NoMessage() =>
        Assert.Empty(MessagePlanner.Plan("  ", 0));

    [Fact]
    public void Plan_LongTextOnly_SplitIntoTextMessages()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 2000));

        var messages = MessagePlanner.Plan(text, 0);

        Assert.Equal(3, messages.Count);
        Assert.All(messages, message =>
        {
            Assert.Null(message.AttachmentIndex);
            Assert.InRange(message.Text!.Length, 1, TextSplitter.WhatsAppTextLimit);
        });
        Assert.Equal(text, string.Join(' ', messages.Select(message => message.Text)));
    }

    [Fact]
    public void Plan_TextAndMedia_TextIsTheFirstCaptionAndEachMediaItsOwnMessageInOrder() =>
        Assert.Equal(
            [new PlannedMessage("look", 0), new PlannedMessage(null, 1), new PlannedMessage(null, 2)],
            MessagePlanner.Plan(" look ", 3));

    [Fact]
    public void Plan_MediaWithoutText_NoCaptionAndNoTextMessage() =>
        Assert.Equal([new PlannedMessage(null, 0)], MessagePlanner.Plan("", 1));

    [Fact]
    public void Plan_TextAtTheCaptionLimit_StillACaption()
    {
        var text = new string('c', MessagePlanner.CaptionLimit);

        Assert.Equal([new PlannedMessage(text, 0)], MessagePlanner.Plan(text, 1));
    }

    [Fact]
    public void Plan_TextOverTheCaptionLimit_SentFirstAsTextThenMediaWithoutCaption()
    {
        var text = new string('c', MessagePlanner.CaptionLimit + 1);

        Assert.Equal(
            [new PlannedMessage(text), new PlannedMessage(null, 0), new PlannedMessage(null, 1)],
            MessagePlanner.Plan(text, 2));
    }

    [Fact]
    public void Plan_VeryLongTextWithMedia_SplitTextFirstThenMedia()
    {
        var text = string.Join('\n', Enumerable.Repeat("a line of text", 400));

        var messages = MessagePlanner.Plan(text, 1);

        Assert.Equal([null, null, 0], messages.Select(message => message.AttachmentIndex));
        Assert.Equal(new PlannedMessage(null, 0), messages[^1]);
        Assert.Equal(text, string.Join('\n', messages.Take(2).Select(message => message.Text)));
    }
}
