using System.Net;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Admin;

public sealed class DeliveryCsvTests
{
    private const string Drivers = "120363410923125769@g.us";

    [Fact]
    public async Task The_csv_has_a_header_and_the_rows_the_filter_matches_with_formulas_neutralised_and_rfc_4180_quoting()
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync(groupId: Drivers, groupName: "Drivers");
        app.WhatsApp.SendBehavior = send => send.Message!.Contains("refuse", StringComparison.Ordinal) ? new Fakes.FakeAnswer(400, "Bad \"group\"") : null;
        await app.SlashCommandAsync("=HYPERLINK(\"http://evil.example\",\"click\")");
        await app.SlashCommandAsync("please refuse, this one");
        await app.SlashCommandAsync("-2+3 trucks");
        await app.Slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) >= 3);

        var all = await app.Api().GetAsync("/admin/api/deliveries.csv");
        var failed = await app.Api().GetStringAsync("/admin/api/deliveries.csv?status=Failed&pageSize=1");
        var invalid = await app.Api().GetAsync("/admin/api/deliveries.csv?status=lost");
        var anonymous = await app.Api(key: null).GetAsync("/admin/api/deliveries.csv");

        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal("text/csv", all.Content.Headers.ContentType!.MediaType);
        Assert.Equal("deliveries.csv", all.Content.Headers.ContentDisposition!.FileNameStar ?? all.Content.Headers.ContentDisposition.FileName);
        var lines = (await all.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,created_at,platform,workspace_id,channel_id,user_id,user_name,text,", lines[0]);
        Assert.Equal(4, lines.Length);
        // Newest first; formulas start with a ' and quotes are doubled inside quoted cells.
        Assert.Contains(",\"'-2+3 trucks\",", lines[1]);
        Assert.Contains(",\"please refuse, this one\",", lines[2]);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",", lines[3]);
        Assert.DoesNotContain(lines, l => l.Contains(",=", StringComparison.Ordinal) || l.Contains(",-2", StringComparison.Ordinal));

        var failedLines = failed.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, failedLines.Length);
        Assert.Contains("please refuse, this one", failedLines[1]);
        Assert.Contains(",Failed,", failedLines[1]);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized), (invalid.StatusCode, anonymous.StatusCode));
    }

    [Fact]
    public async Task The_page_offers_the_csv_of_its_search_to_the_signed_in_admin_only()
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync(groupId: Drivers, groupName: "Drivers");
        await app.SlashCommandAsync("Truck 12 is in");
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null));
        var client = AdminPageTests.Browser(app);
        var before = await client.GetAsync("/admin/deliveries.csv");
        await AdminPageTests.SignInAsync(client, AdminApp.Key);

        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.GetStringAsync("/admin?text=truck&status=Delivered"));
        var link = page.QuerySelector("a.download")!.GetAttribute("href")!;
        var csv = await client.GetStringAsync(link);

        Assert.NotEqual(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal("/admin/deliveries.csv?status=Delivered&text=truck", link);
        Assert.Equal(2, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("Truck 12 is in", csv);
    }
}
