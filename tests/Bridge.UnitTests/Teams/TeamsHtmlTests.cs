using System.Text.Json.Nodes;
using Bridge.Teams;
using Bridge.Tests.Infrastructure;

namespace Bridge.UnitTests.Teams;

public sealed class TeamsHtmlTests
{
    /// <summary>The bot's mention is the first mention entity in these messages.</summary>
    private static readonly HashSet<int> BotMention = [0];

    [Theory]
    [InlineData("plain words", "plain words")]
    [InlineData("<b>bold</b>", "*bold*")]
    [InlineData("<strong>bold</strong>", "*bold*")]
    [InlineData("<i>italic</i>", "_italic_")]
    [InlineData("<em>italic</em>", "_italic_")]
    [InlineData("<s>gone</s>", "~gone~")]
    [InlineData("<strike>gone</strike>", "~gone~")]
    [InlineData("<del>gone</del>", "~gone~")]
    [InlineData("<u>underlined</u>", "underlined")]
    [InlineData("<b><i>both</i></b>", "*_both_*")]
    [InlineData("<b>one <strong>bold</strong> run</b>", "*one bold run*")]
    [InlineData("<b>unclosed", "*unclosed*")]
    [InlineData("<b></b>empty", "empty")]
    // Whitespace stays outside the markers, or WhatsApp would not format.
    [InlineData("<b> spaced </b>word", "*spaced* word")]
    [InlineData("a<b> b</b>", "a *b*")]
    [InlineData("<code>x = 1</code> is set", "`x = 1` is set")]
    [InlineData("<pre>line 1\nline 2</pre>", "```line 1\nline 2```")]
    [InlineData("<p>before</p><pre>\n  indented\n\n  kept\n</pre><p>after</p>", "before\n\n```  indented\n\n  kept```\n\nafter")]
    [InlineData("<codeblock class=\"language-plaintext\"><code>a<br>b</code></codeblock>", "```a\nb```")]
    [InlineData("<pre><b>no</b> markers</pre>", "```no markers```")]
    // Links.
    [InlineData("see <a href=\"https://x.test/a\">the docs</a>", "see the docs (https://x.test/a)")]
    [InlineData("<a href=\"https://x.test/a\">https://x.test/a</a>", "https://x.test/a")]
    [InlineData("<a href=\"https://x.test/?a=1&amp;b=2\">A &amp; B</a>", "A & B (https://x.test/?a=1&b=2)")]
    [InlineData("<a href=\"mailto:ana@x.test\">ana@x.test</a>", "ana@x.test")]
    [InlineData("<a href=\"https://x.test/a\"></a>", "https://x.test/a")]
    [InlineData("<a>no address</a>", "no address")]
    [InlineData("<a href=\"https://x.test\"><b>bold link</b></a>", "*bold link* (https://x.test)")]
    // Mentions.
    [InlineData("<at>Ana Silva</at> please check", "@Ana Silva please check")]
    [InlineData("<span itemtype=\"http://schema.skype.com/Mention\" itemid=\"1\">Ana Silva</span> please", "@Ana Silva please")]
    // Blocks and line breaks.
    [InlineData("<p>one</p><p>two</p>", "one\n\ntwo")]
    [InlineData("<div>one</div><div>two</div>", "one\n\ntwo")]
    [InlineData("<div><div><p>deep</p></div></div><p>next</p>", "deep\n\nnext")]
    [InlineData("one<br>two", "one\ntwo")]
    [InlineData("one <br> two", "one\ntwo")]
    [InlineData("one<br><br>two", "one\n\ntwo")]
    [InlineData("one<br><br><br><br>two", "one\n\ntwo")]
    [InlineData("<p>a</p><p></p><p>&nbsp;</p><p>b</p>", "a\n\nb")]
    [InlineData("<p>Tom &amp; <b>Jerry</b></p>\n<p>\n  next   line\n</p>", "Tom & *Jerry*\n\nnext line")]
    [InlineData("<ul><li>one</li><li><b>two</b></li></ul>", "- one\n- *two*")]
    [InlineData("<p>steps</p><ol><li>one</li><li>two</li></ol>", "steps\n\n1. one\n2. two")]
    // Images, emoji, entities and other tags.
    [InlineData("x <img src=\"https://i.test/a.png\" alt=\"image\"> y", "x y")]
    [InlineData("<img itemtype=\"http://schema.skype.com/Emoji\" alt=\"😀\" src=\"https://e.test/x.png\"> yes", "😀 yes")]
    [InlineData("<emoji id=\"smile\" alt=\"🙂\" title=\"Smile\"></emoji> ok", "🙂 ok")]
    [InlineData("&amp; &lt; &gt; &quot; &#39; a&nbsp;b", "& < > \" ' a b")]
    [InlineData("x &lt;b&gt;not a tag&lt;/b&gt;", "x <b>not a tag</b>")]
    [InlineData("<span style=\"color:red\">red</span> <font size=\"2\">small</font>", "red small")]
    [InlineData("<attachment id=\"a1b2\"></attachment>report attached", "report attached")]
    [InlineData("<script>alert(1)</script><style>p{}</style>text", "text")]
    [InlineData("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc")]
    [InlineData("   \n  ", "")]
    [InlineData("", "")]
    public void ToWhatsApp_Html_WhatsAppText(string html, string expected) =>
        Assert.Equal(expected, TeamsHtml.ToWhatsApp(html));

    [Theory]
    [InlineData("<at>WA Bridge</at> send field-team hi", "send field-team hi")]
    [InlineData("ask <at>wa bridge</at> now", "ask now")]
    [InlineData("<span itemtype=\"http://schema.skype.com/Mention\">WA Bridge</span>&nbsp;hi <at>Ana</at>", "hi @Ana")]
    // The user shortened the bot's mention; another person carries the bot's name.
    [InlineData("<span itemtype=\"http://schema.skype.com/Mention\" itemid=\"0\">Bridge</span> ask <span itemtype=\"http://schema.skype.com/Mention\" itemid=\"1\">WA Bridge</span>", "ask @WA Bridge")]
    // Numbered mentions go by their number, not their position.
    [InlineData("<at id=\"1\">Ana</at> and <at id=\"0\">WA Bridge</at> <b>now <at id=\"2\">Bo</at></b>", "@Ana and *now @Bo*")]
    public void ToWhatsApp_BotMention_LeftOutByItsNumber(string html, string expected) =>
        Assert.Equal(expected, TeamsHtml.ToWhatsApp(html, BotMention));

    [Fact]
    public void ToWhatsApp_NoDroppedMentions_EveryMentionKept() =>
        Assert.Equal("@WA Bridge send hi", TeamsHtml.ToWhatsApp("<at>WA Bridge</at> send hi"));

    [Theory]
    [InlineData("div")]
    [InlineData("b")]
    [InlineData("span")]
    [InlineData("i")]
    public void ToWhatsApp_ThousandsOfNestedElements_TextWithoutRecursingThroughThem(string tag)
    {
        const int depth = TeamsHtml.MaxTags / 2 - 1;
        var html = "<p>start</p>" + string.Concat(Enumerable.Repeat($"<{tag}>x ", depth)) + "deep" + string.Concat(Enumerable.Repeat($"</{tag}>", depth));

        var text = TeamsHtml.ToWhatsApp(html, BotMention);

        Assert.StartsWith("start", text);
        Assert.EndsWith("deep", text.TrimEnd('*', '_'));
    }

    [Theory]
    [InlineData(50_000)]
    [InlineData(100_000)]
    public void ToWhatsApp_TensOfThousandsOfNestedElements_LeftOutWithoutParsing(int elements)
    {
        var html = string.Concat(Enumerable.Repeat("<div><b>", elements / 2)) + "<img src=\"https://i.test/deep.png\">deep" + string.Concat(Enumerable.Repeat("</b></div>", elements / 2));

        Assert.True(TeamsHtml.IsTooComplex(html));
        Assert.Equal("…", TeamsHtml.ToWhatsApp(html, BotMention));
        Assert.Empty(TeamsHtml.ImageSources(html));
    }

    [Fact]
    public void ToWhatsApp_SubmitActionFixtureBody_DocumentedText() =>
        Assert.Equal(
            "*Truck 12* delayed ~15~ ~30 min & rerouted <urgent>. Dashboard:",
            TeamsHtml.ToWhatsApp(SubmitActionBody()));

    [Fact]
    public void ToWhatsApp_MentionFixtureHtml_BotMentionRemovedAndFormatted() =>
        Assert.Equal(
            "field-team *Truck 12* is _delayed_ ~30 min and rerouted",
            TeamsHtml.ToWhatsApp(AttachmentHtml("teams-message-mention.json"), BotMention));

    [Fact]
    public void ToWhatsApp_MentionFixtureText_DocumentedCommand() =>
        Assert.Equal(
            "field-team Truck 12 is delayed ~30 min and rerouted",
            TeamsHtml.ToWhatsApp(Activity("teams-message-mention.json")["text"]!.GetValue<string>(), BotMention));

    [Fact]
    public void ToWhatsApp_MentionImageFixtureHtml_ImageLeftOut() =>
        Assert.Equal("field-team photo of the dock", TeamsHtml.ToWhatsApp(AttachmentHtml("teams-message-mention-image.json"), BotMention));

    [Fact]
    public void ImageSources_SubmitActionFixtureBody_TheGraphHostedContent()
    {
        var source = Assert.Single(TeamsHtml.ImageSources(SubmitActionBody()));
        Assert.StartsWith("https://graph.microsoft.com/v1.0/teams/c2a4e6f8-1b3d-4f5a-9c7e-2d4f6a8b0c1e/channels/", source);
        Assert.EndsWith("/hostedContents/aWQ9eF8wLXdldS1kMy02ZjFjMmE5YjhlN2Q0YzNiMmExZjBlOWQ4YzdiNmE1Zix0eXBlPTEsdXJsPWh0dHBzOi8vZXUtYXBpLmFzbS5za3lwZS5jb20vdjEvb2JqZWN0cy8wLXdldS1kMy02ZjFjMmE5YjhlN2Q0YzNiMmExZjBlOWQ4YzdiNmE1Zi92aWV3cy9pbWdv/$value", source);
    }

    [Fact]
    public void ImageSources_MentionImageFixtureHtml_TheAmsImage() =>
        Assert.Equal(
            ["https://eu-api.asm.skype.com/v1/objects/0-weu-d4-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b/views/imgo"],
            TeamsHtml.ImageSources(AttachmentHtml("teams-message-mention-image.json")));

    [Theory]
    [InlineData("<p><img src=\"https://i.test/1.png\">text<img src=\"https://i.test/2.png?a=1&amp;b=2\"></p>", new[] { "https://i.test/1.png", "https://i.test/2.png?a=1&b=2" })]
    [InlineData("<img itemtype=\"http://schema.skype.com/Emoji\" alt=\"😀\" src=\"https://e.test/x.png\"><img alt=\"no source\"><img src=\"  \">", new string[0])]
    [InlineData("<b>no images</b>", new string[0])]
    public void ImageSources_Html_EveryImageInOrder(string html, string[] expected) =>
        Assert.Equal(expected, TeamsHtml.ImageSources(html));

    private static JsonNode Activity(string fixture) => JsonNode.Parse(Fixtures.Read(fixture))!;

    private static string SubmitActionBody() =>
        Activity("teams-submit-action-message.json")["value"]!["messagePayload"]!["body"]!["content"]!.GetValue<string>();

    private static string AttachmentHtml(string fixture) =>
        Activity(fixture)["attachments"]!.AsArray()
            .Single(attachment => attachment!["contentType"]!.GetValue<string>() == "text/html")!["content"]!.GetValue<string>();
}
