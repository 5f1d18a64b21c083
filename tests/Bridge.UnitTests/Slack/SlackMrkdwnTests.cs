using System.Text.Json.Nodes;
using Bridge.Slack;
using Bridge.Tests.Infrastructure;

namespace Bridge.UnitTests.Slack;

public sealed class SlackMrkdwnTests
{
    private static readonly Dictionary<string, string> Names = new() { ["U01ANA"] = "Ana Silva", ["U05LEADUSER2"] = "Priya Shah" };

    [Theory]
    // Styles have the same syntax in WhatsApp.
    [InlineData("plain words", "plain words")]
    [InlineData("*bold*", "*bold*")]
    [InlineData("_italic_", "_italic_")]
    [InlineData("~strike~", "~strike~")]
    [InlineData("`inline code`", "`inline code`")]
    [InlineData("```\nline 1\nline 2\n```", "```\nline 1\nline 2\n```")]
    [InlineData("*bold* _it_ ~st~ `c`", "*bold* _it_ ~st~ `c`")]
    [InlineData("&gt; quoted line", "> quoted line")]
    [InlineData("• bullet\n1. first", "• bullet\n1. first")]
    [InlineData(":wave: hi", ":wave: hi")]
    // Standard Markdown is not mrkdwn: left as written.
    [InlineData("**not bold**", "**not bold**")]
    [InlineData("[label](https://example.com)", "[label](https://example.com)")]
    // Only Slack's three entities are decoded, after the tokens are split out.
    [InlineData("Tom &amp; Jerry", "Tom & Jerry")]
    [InlineData("&lt;urgent&gt;", "<urgent>")]
    [InlineData("&amp;lt;literal&amp;gt;", "&lt;literal&gt;")]
    [InlineData("&quot;q&quot; &#39;a&#39; &nbsp;", "&quot;q&quot; &#39;a&#39; &nbsp;")]
    [InlineData("&lt;@U01ANA&gt;", "<@U01ANA>")]
    // Users: display name, else the legacy label, else the id.
    [InlineData("hi <@U01ANA>!", "hi @Ana Silva!")]
    [InlineData("<@U09NOBODY>", "@U09NOBODY")]
    [InlineData("<@U09NOBODY|bob>", "@bob")]
    [InlineData("<@U01ANA|old-name>", "@Ana Silva")]
    [InlineData("<@W0ENTERPRISE>", "@W0ENTERPRISE")]
    [InlineData("<@U01ANA> and <@U09NOBODY>", "@Ana Silva and @U09NOBODY")]
    // Channels.
    [InlineData("<#C08QWERTY12|ops-alerts>", "#ops-alerts")]
    [InlineData("<#C08QWERTY12>", "#C08QWERTY12")]
    [InlineData("<#C08QWERTY12|>", "#C08QWERTY12")]
    // Links.
    [InlineData("<https://example.com/a|the docs>", "the docs (https://example.com/a)")]
    [InlineData("<https://example.com/a>", "https://example.com/a")]
    [InlineData("<https://example.com/a|https://example.com/a>", "https://example.com/a")]
    [InlineData("<http://example.com|example.com>", "example.com")]
    [InlineData("<https://x.test/?a=1&amp;b=2|A &amp; B>", "A & B (https://x.test/?a=1&b=2)")]
    [InlineData("<https://x.test/?q=&lt;b&gt;>", "https://x.test/?q=<b>")]
    [InlineData("<mailto:a@b.com|a@b.com>", "a@b.com")]
    [InlineData("<mailto:a@b.com|Mail Ana>", "Mail Ana")]
    [InlineData("<mailto:a@b.com>", "a@b.com")]
    [InlineData("*<https://example.com|bold link>*", "*bold link (https://example.com)*")]
    // Special mentions, user groups and dates.
    [InlineData("<!here> look", "@here look")]
    [InlineData("<!channel>", "@channel")]
    [InlineData("<!everyone>", "@everyone")]
    [InlineData("<!here|here>", "@here")]
    [InlineData("<!subteam^S0OPS|@ops>", "@ops")]
    [InlineData("<!subteam^S0OPS>", "@S0OPS")]
    [InlineData("<!date^1392734382^{date_short}|Feb 18, 2014>", "Feb 18, 2014")]
    [InlineData("<!date^1392734382^{date_short}^https://x.test|Feb 18, 2014>", "Feb 18, 2014")]
    // Brackets that are not tokens (unescaped text, e.g. a slash command) stay as written.
    [InlineData("a < b", "a < b")]
    [InlineData("1 < 2 > 0", "1 < 2 > 0")]
    [InlineData("<>", "<>")]
    [InlineData("x <https://a.test|b\nc>", "x <https://a.test|b\nc>")]
    [InlineData("<not a <https://a.test>", "<not a https://a.test")]
    [InlineData("", "")]
    public void ToWhatsApp_Mrkdwn_WhatsAppText(string mrkdwn, string expected) =>
        Assert.Equal(expected, SlackMrkdwn.ToWhatsApp(mrkdwn, Names));

    [Fact]
    public void ToWhatsApp_ThreadedShortcutFixtureWithoutUserLookup_DocumentedText() =>
        Assert.Equal(
            "*Truck 12* delayed ~30 min & rerouted via Route B (https://maps.example.com/r/12?from=a&to=b). cc @U05LEADUSER2 in #ops-alerts <urgent>",
            SlackMrkdwn.ToWhatsApp(MessageText("slack-message-action.json"), new Dictionary<string, string>()));

    [Fact]
    public void ToWhatsApp_ThreadedShortcutFixtureWithUserLookup_DisplayName() =>
        Assert.Equal(
            "*Truck 12* delayed ~30 min & rerouted via Route B (https://maps.example.com/r/12?from=a&to=b). cc @Priya Shah in #ops-alerts <urgent>",
            SlackMrkdwn.ToWhatsApp(MessageText("slack-message-action.json"), Names));

    [Fact]
    public void ToWhatsApp_TextOnlyShortcutFixture_DocumentedText() =>
        Assert.Equal(
            "_Reminder_: ~old~ new gate code is `4521`\n```\nGate B\nDock 3\n```\n@here see https://wiki.example.com/gates",
            SlackMrkdwn.ToWhatsApp(MessageText("slack-message-action-text-only.json"), Names));

    [Theory]
    [InlineData("<@U01ANA> and <@U09NOBODY|bob> in <#C1>, again <@U01ANA>", new[] { "U01ANA", "U09NOBODY" })]
    [InlineData("&lt;@U01ANA&gt; is escaped text", new string[0])]
    [InlineData("<!here> <!subteam^S0OPS|@ops> <mailto:u@x.test>", new string[0])]
    [InlineData("", new string[0])]
    public void MentionedUserIds_Mrkdwn_EachUserOnceInOrder(string mrkdwn, string[] expected) =>
        Assert.Equal(expected, SlackMrkdwn.MentionedUserIds(mrkdwn));

    [Fact]
    public void MentionedUserIds_ThreadedShortcutFixture_TheLead() =>
        Assert.Equal(["U05LEADUSER2"], SlackMrkdwn.MentionedUserIds(MessageText("slack-message-action.json")));

    private static string MessageText(string fixture) =>
        JsonNode.Parse(Fixtures.Read(fixture))!["message"]!["text"]!.GetValue<string>();
}
