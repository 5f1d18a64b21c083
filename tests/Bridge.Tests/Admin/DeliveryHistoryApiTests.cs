using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Admin;

public sealed class DeliveryHistoryApiTests
{
    private const string FieldTeam = "120363410923125768@g.us";
    private const string Drivers = "120363410923125769@g.us";
    private const string SupportDesk = "120363410923125770@g.us";

    /// <summary>
    /// Two forwards: "First" from C1 to Field Team (delivered) and Drivers (refused: failed), then "Second" from C2
    /// to Support Desk (delivered). Returns the time between them.
    /// </summary>
    private static async Task<DateTimeOffset> SendTwoForwardsAsync(BridgeApp app)
    {
        await app.LinkAsync(channelId: "C0000000001", groupId: FieldTeam);
        await app.LinkAsync(channelId: "C0000000001", groupId: Drivers, groupName: "Drivers");
        await app.LinkAsync(channelId: "C0000000002", groupId: SupportDesk, groupName: "Support Desk");
        app.WhatsApp.SendBehavior = send => send.To == Drivers ? new FakeAnswer(400, "The group does not accept messages.") : null;

        await app.SlashCommandAsync("First\nmessage of the day", channelId: "C0000000001");
        await app.Slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) >= 1);
        var between = DateTimeOffset.UtcNow;
        await app.SlashCommandAsync("Second", channelId: "C0000000002");
        await app.Slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) >= 2);
        return between;
    }

    private static async Task<JsonObject> PageAsync(HttpClient api, string query) =>
        (await api.GetFromJsonAsync<JsonObject>("/admin/api/deliveries" + query))!;

    private static List<string?> Groups(JsonObject page) => page["items"]!.AsArray().Select(i => (string?)i!["groupId"]).ToList();

    [Fact]
    public async Task The_history_is_newest_first_with_who_what_attempts_message_ids_and_errors()
    {
        await using var app = await AdminApp.StartAsync();
        await SendTwoForwardsAsync(app);

        var page = await PageAsync(app.Api(), "");

        var items = page["items"]!.AsArray();
        Assert.Equal(3, items.Count);
        Assert.Equal([SupportDesk, Drivers, FieldTeam], Groups(page));
        Assert.False((bool)page["hasMore"]!);

        var delivered = items[0]!;
        var messageId = app.WhatsApp.Sends.Single(s => s.To == SupportDesk).MessageId;
        Assert.Equal(("Delivered", "Slack", "C0000000002", "maria.lopez", "Second"),
            ((string?)delivered["status"], (string?)delivered["platform"], (string?)delivered["channelId"], (string?)delivered["userName"], (string?)delivered["textPreview"]));
        Assert.Equal(messageId, (string?)Assert.Single(delivered["messageIds"]!.AsArray()));
        Assert.NotEmpty(delivered["attempts"]!.AsArray());
        Assert.Null(delivered["error"]);

        var failed = items[1]!;
        Assert.Equal(("Failed", "Drivers"), ((string?)failed["status"], (string?)failed["groupName"]));
        Assert.Empty(failed["messageIds"]!.AsArray());
        Assert.Contains("The group does not accept messages.", (string?)failed["error"]);
        Assert.Equal(400, (int?)failed["attempts"]![0]!["statusCode"]);
        Assert.Equal("First message of the day", (string?)failed["textPreview"]);
    }

    [Fact]
    public async Task The_history_is_filtered_by_platform_channel_group_status_and_time()
    {
        await using var app = await AdminApp.StartAsync();
        var between = await SendTwoForwardsAsync(app);
        var api = app.Api();
        var at = Uri.EscapeDataString(between.ToString("O"));

        Assert.Equal(3, Groups(await PageAsync(api, "?platform=slack")).Count);
        Assert.Empty(Groups(await PageAsync(api, "?platform=Teams")));
        Assert.Equal([Drivers, FieldTeam], Groups(await PageAsync(api, "?channel=C0000000001")));
        Assert.Equal([Drivers], Groups(await PageAsync(api, $"?group={Uri.EscapeDataString(Drivers)}")));
        Assert.Equal([SupportDesk, FieldTeam], Groups(await PageAsync(api, "?status=Delivered")));
        Assert.Equal([Drivers], Groups(await PageAsync(api, "?status=failed&channel=C0000000001")));
        Assert.Equal([SupportDesk], Groups(await PageAsync(api, $"?since={at}")));
        Assert.Equal([Drivers, FieldTeam], Groups(await PageAsync(api, $"?until={at}")));
    }

    [Fact]
    public async Task The_history_is_searched_by_sender_and_text()
    {
        await using var app = await AdminApp.StartAsync();
        await SendTwoForwardsAsync(app);
        var api = app.Api();

        Assert.Equal([Drivers, FieldTeam], Groups(await PageAsync(api, "?text=MESSAGE%20of")));
        Assert.Equal([SupportDesk, Drivers, FieldTeam], Groups(await PageAsync(api, "?sender=Maria")));
        Assert.Equal([SupportDesk], Groups(await PageAsync(api, "?sender=maria&text=second&status=&platform=")));
        Assert.Empty(Groups(await PageAsync(api, "?sender=someone%20else")));
        Assert.Empty(Groups(await PageAsync(api, "?text=%25")));
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/admin/api/deliveries?text=" + new string('x', 201))).StatusCode);
    }

    [Fact]
    public async Task The_page_searches_with_a_get_form_and_pages_with_newer_and_older_links_that_keep_the_search()
    {
        await using var app = await AdminApp.StartAsync();
        await SendTwoForwardsAsync(app);
        var client = AdminPageTests.Browser(app);
        await AdminPageTests.SignInAsync(client, AdminApp.Key);
        var parser = new AngleSharp.Html.Parser.HtmlParser();

        var failed = parser.ParseDocument(await client.GetStringAsync("/admin?status=Failed&platform=&text="));
        var first = parser.ParseDocument(await client.GetStringAsync("/admin?sender=maria&pageSize=2"));
        var second = parser.ParseDocument(await client.GetStringAsync(first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href")!.Split('#')[0]));
        var invalid = await client.GetAsync("/admin?since=yesterday");

        Assert.Equal("get", failed.QuerySelector("form.search")!.GetAttribute("method"));
        Assert.Equal(["Failed"], failed.QuerySelectorAll("#deliveries-rows tr td[data-label=Status] .badge").Select(b => b.TextContent));
        Assert.Equal("Failed", failed.QuerySelector("#search-status option[selected]")!.GetAttribute("value"));
        Assert.Equal(2, first.QuerySelectorAll("#deliveries-rows tr").Length);
        Assert.Null(first.QuerySelector(".pager a[rel=prev]"));
        Assert.Equal("/admin?sender=maria&pageSize=2&page=2#deliveries", first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
        Assert.Equal("maria", first.QuerySelector("#search-sender")!.GetAttribute("value"));
        Assert.Single(second.QuerySelectorAll("#deliveries-rows tr"));
        // The oldest delivery: the first forward's job for Field Team.
        Assert.Equal("1", second.QuerySelector("#deliveries-rows tr")!.GetAttribute("data-delivery"));
        Assert.Null(second.QuerySelector(".pager a[rel=next]"));
        Assert.Equal("/admin?sender=maria&pageSize=2&page=1#deliveries", second.QuerySelector(".pager a[rel=prev]")!.GetAttribute("href"));
        Assert.Equal("/admin/live/deliveries?sender=maria&pageSize=2&page=2", second.QuerySelector("#deliveries-rows")!.GetAttribute("data-source"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("since must be an ISO 8601 time", await invalid.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_history_is_paged_by_skip_and_take_or_by_page_and_page_size()
    {
        await using var app = await AdminApp.StartAsync();
        await SendTwoForwardsAsync(app);
        var api = app.Api();

        var second = await PageAsync(api, "?skip=1&take=1");
        var firstOfTwo = await PageAsync(api, "?page=1&pageSize=2");
        var secondOfTwo = await PageAsync(api, "?page=2&pageSize=2");

        Assert.Equal([Drivers], Groups(second));
        Assert.Equal((true, 1, 1), ((bool)second["hasMore"]!, (int)second["skip"]!, (int)second["take"]!));
        Assert.Equal([SupportDesk, Drivers], Groups(firstOfTwo));
        Assert.True((bool)firstOfTwo["hasMore"]!);
        Assert.Equal([FieldTeam], Groups(secondOfTwo));
        Assert.Equal((false, 2), ((bool)secondOfTwo["hasMore"]!, (int)secondOfTwo["skip"]!));
    }

    [Theory]
    [InlineData("?status=lost", "status")]
    [InlineData("?platform=fax", "platform")]
    [InlineData("?since=yesterday", "since")]
    [InlineData("?until=31/01/2026", "until")]
    [InlineData("?take=0", "take")]
    [InlineData("?take=201", "take")]
    [InlineData("?skip=-1", "skip")]
    [InlineData("?page=0", "page")]
    [InlineData("?pageSize=x", "pageSize")]
    [InlineData("?page=1&take=5", "page")]
    public async Task A_bad_filter_is_refused_with_400_and_the_reason(string query, string field)
    {
        await using var app = await AdminApp.StartAsync();

        var response = await app.Api().GetAsync("/admin/api/deliveries" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("The delivery filter is not valid", (string?)body["title"]);
        Assert.NotEmpty((string?)body["errors"]![field]![0] ?? "");
    }
}
