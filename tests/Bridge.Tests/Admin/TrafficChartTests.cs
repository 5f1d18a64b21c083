using AngleSharp.Html.Parser;
using Bridge.Fakes;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Admin;

public sealed class TrafficChartTests
{
    [Fact]
    public async Task The_page_draws_a_bar_per_hour_and_outcome_for_the_deliveries_with_a_text_alternative()
    {
        const string drivers = "120363410923125769@g.us";
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync();
        await app.LinkAsync(groupId: drivers, groupName: "Drivers");
        app.WhatsApp.SendBehavior = send => send.To == drivers ? new FakeAnswer(400, "No.") : null;
        await app.SlashCommandAsync("First");
        await app.SlashCommandAsync("Second");
        await app.Slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) >= 2);
        var client = AdminPageTests.Browser(app);
        await AdminPageTests.SignInAsync(client, AdminApp.Key);

        var page = new HtmlParser().ParseDocument(await client.GetStringAsync("/admin"));

        var svg = page.QuerySelector("#traffic svg.chart")!;
        int Sum(string series) => svg.QuerySelectorAll($"rect.bar.{series}").Sum(r => int.Parse(r.GetAttribute("data-count")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((2, 2, 0), (Sum("delivered"), Sum("failed"), Sum("unknown")));
        // Two sends a minute apart at most: one or two hours, each with a bar per outcome and nothing else.
        Assert.InRange(svg.QuerySelectorAll("rect.bar").Length, 2, 4);
        Assert.All(svg.QuerySelectorAll("rect"), r => Assert.Null(r.GetAttribute("style")));
        Assert.Equal("img", svg.GetAttribute("role"));
        Assert.Contains("2 delivered, 2 failed, 0 possibly delivered", svg.QuerySelector("title")!.TextContent);
        Assert.Equal("0", page.QuerySelector("#traffic [data-backlog]")!.GetAttribute("data-backlog"));
        Assert.True(int.Parse(page.QuerySelector("#traffic [data-permits]")!.GetAttribute("data-permits")!, System.Globalization.CultureInfo.InvariantCulture) >= 4);
        var days = page.QuerySelectorAll("#traffic table.days tbody tr");
        Assert.Equal(7, days.Length);
        Assert.Equal(["2", "2", "0"], days[^1].QuerySelectorAll("td").Skip(1).Select(td => td.TextContent));
    }
}
