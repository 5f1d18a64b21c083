using Bridge.Forwarding;

namespace Bridge.Tests.Forwarding;

public sealed class MessagePlannerTests
{
    [Fact]
    public void Plan_TextOnly_OneTextMessage() =>
        Assert.Equal([new PlannedMessage("text", "hello *team*")], MessagePlanner.Plan("  hello *team*\n", []));

    [Fact]
    public void Plan_NothingAtAll_NoMessage() =>
        Assert.Empty(MessagePlanner.Plan("  ", []));

    [Fact]
    public void Plan_LongTextOnly_SplitIntoTextMessages()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 2000));

        var messages = MessagePlanner.Plan(text, []);

        Assert.Equal(3, messages.Count);
        Assert.All(messages, message =>
        {
            Assert.Equal("text", message.Type);
            Assert.Null(message.AttachmentIndex);
            Assert.InRange(message.Text!.Length, 1, TextSplitter.WhatsAppTextLimit);
        });
        Assert.Equal(text, string.Join(' ', messages.Select(message => message.Text)));
    }

    [Fact]
    public void Plan_TextAndMedia_TextIsTheFirstCaptionAndEachMediaItsOwnMessageInOrder() =>
        Assert.Equal(
            [new PlannedMessage("image", "look", 0), new PlannedMessage("video", null, 1), new PlannedMessage("audio", null, 2)],
            MessagePlanner.Plan(" look ", ["image", "video", "audio"]));

    [Fact]
    public void Plan_MediaWithoutText_NoCaptionAndNoTextMessage() =>
        Assert.Equal([new PlannedMessage("image", null, 0)], MessagePlanner.Plan("", ["image"]));

    [Fact]
    public void Plan_TextAtTheCaptionLimit_StillACaption()
    {
        var text = new string('c', MessagePlanner.CaptionLimit);

        Assert.Equal([new PlannedMessage("document", text, 0)], MessagePlanner.Plan(text, ["document"]));
    }

    [Fact]
    public void Plan_TextOverTheCaptionLimit_SentFirstAsTextThenMediaWithoutCaption()
    {
        var text = new string('c', MessagePlanner.CaptionLimit + 1);

        Assert.Equal(
            [new PlannedMessage("text", text), new PlannedMessage("image", null, 0), new PlannedMessage("image", null, 1)],
            MessagePlanner.Plan(text, ["image", "image"]));
    }

    [Fact]
    public void Plan_VeryLongTextWithMedia_SplitTextFirstThenMedia()
    {
        var text = string.Join('\n', Enumerable.Repeat("a line of text", 400));

        var messages = MessagePlanner.Plan(text, ["image"]);

        Assert.Equal(["text", "text", "image"], messages.Select(message => message.Type));
        Assert.Equal(new PlannedMessage("image", null, 0), messages[^1]);
        Assert.Equal(text, string.Join('\n', messages.Take(2).Select(message => message.Text)));
    }
}
