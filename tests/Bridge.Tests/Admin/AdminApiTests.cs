using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Admin;

public sealed class AdminApiTests
{
    private const string FieldTeam = "120363410923125768@g.us";
    private const string Drivers = "120363410923125769@g.us";
    private const string SupportDesk = "120363410923125770@g.us";
    private const string Session = FakeTalkNTalk.DefaultSessionId;

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/admin/api/links" },
        { "GET", "/admin/api/links/abc" },
        { "POST", "/admin/api/links" },
        { "DELETE", "/admin/api/links/abc" },
        { "GET", "/admin/api/phones" },
        { "GET", "/admin/api/groups" },
        { "GET", "/admin/api/deliveries" },
        { "GET", "/admin/api/setup" },
        { "POST", "/admin/api/store/rebuild" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_refuses_a_missing_or_wrong_key_with_401_and_reveals_nothing(string method, string path)
    {
        await using var app = await AdminApp.StartAsync();
        var link = await app.LinkAsync();

        foreach (var key in new[] { null, "wrong-key", AdminApp.Key + "x", "" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("abc", link.Id));
            if (method == "POST")
            {
                request.Content = JsonContent.Create(new { platform = "Slack", workspaceId = "T1", channelId = "C1", groupId = Drivers });
            }

            var response = await app.Api(key).SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal("An admin key is required", (string?)JsonNode.Parse(body)!["title"]);
            Assert.DoesNotContain("Field Team", body);
            Assert.DoesNotContain(link.Id, body);
        }

        Assert.Equal(link.Id, Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default)).Id);
        Assert.DoesNotContain(app.WhatsApp.Requests, r => r.Path.Contains("phones") || r.Path.Contains("groups"));
    }

    [Fact]
    public async Task Links_are_listed_and_filtered_by_platform_channel_and_group()
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync(channelId: "C0000000001", groupId: FieldTeam);
        await app.LinkAsync(channelId: "C0000000001", groupId: Drivers, groupName: "Drivers");
        await app.LinkAsync(channelId: "19:abc@thread.tacv2", groupId: Drivers, groupName: "Drivers", teamId: "tenant-1", platform: Platform.Teams);
        var api = app.Api();

        Assert.Equal(3, (await api.GetFromJsonAsync<JsonArray>("/admin/api/links"))!.Count);
        Assert.Equal(2, (await api.GetFromJsonAsync<JsonArray>("/admin/api/links?platform=slack"))!.Count);
        var teams = Assert.Single((await api.GetFromJsonAsync<JsonArray>("/admin/api/links?platform=Teams"))!)!;
        Assert.Equal(("Teams", "tenant-1", "19:abc@thread.tacv2"), ((string?)teams["platform"], (string?)teams["workspaceId"], (string?)teams["channelId"]));
        Assert.Equal(2, (await api.GetFromJsonAsync<JsonArray>("/admin/api/links?channel=C0000000001"))!.Count);
        Assert.Equal(2, (await api.GetFromJsonAsync<JsonArray>($"/admin/api/links?group={Uri.EscapeDataString(Drivers)}"))!.Count);
        Assert.Single((await api.GetFromJsonAsync<JsonArray>($"/admin/api/links?platform=Slack&channel=C0000000001&group={Uri.EscapeDataString(Drivers)}"))!);

        var bad = await api.GetAsync("/admin/api/links?platform=fax");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("platform must be Slack or Teams", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Creating_a_link_takes_the_group_name_from_list_groups_and_answers_201_with_its_location()
    {
        await using var app = await AdminApp.StartAsync();
        var api = app.Api();

        var response = await api.PostAsJsonAsync("/admin/api/links",
            new { platform = "Slack", workspaceId = "T08ABCD1234", channelId = "C08QWERTY12", groupId = SupportDesk });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("Support Desk", Session, "admin-api"), ((string?)body["groupName"], (string?)body["sessionId"], (string?)body["createdBy"]));
        var stored = Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default));
        Assert.Equal((Platform.Slack, "T08ABCD1234", "C08QWERTY12", SupportDesk), (stored.Platform, stored.WorkspaceId, stored.ChannelId, stored.GroupId));
        Assert.Equal($"/admin/api/links/{stored.Id}", response.Headers.Location!.OriginalString);
        var fetched = (await api.GetFromJsonAsync<JsonObject>(response.Headers.Location))!;
        Assert.Equal(stored.Id, (string?)fetched["id"]);
    }

    [Fact]
    public async Task A_group_not_in_list_groups_keeps_the_given_name()
    {
        await using var app = await AdminApp.StartAsync();

        var response = await app.Api().PostAsJsonAsync("/admin/api/links",
            new { platform = "Teams", workspaceId = "tenant-1", channelId = "19:x@thread.tacv2", groupId = "120363000000000001@g.us", groupName = "New group" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("New group", Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default)).GroupName);
    }

    [Theory]
    [InlineData("Slack", "T1", "C1", "27831234567@s.whatsapp.net", "groupId", "ending in @g.us")]
    [InlineData("Fax", "T1", "C1", FieldTeam, "platform", "Slack or Teams")]
    [InlineData("Slack", "", "C1", FieldTeam, "workspaceId", "WorkspaceId is required")]
    [InlineData("Slack", "T1", null, FieldTeam, "channelId", "ChannelId is required")]
    [InlineData("Slack", "T1", "C1 C2", FieldTeam, "channelId", "without spaces")]
    [InlineData("Slack", "T1", "C1", null, "groupId", "GroupId is required")]
    public async Task Creating_a_link_with_bad_input_is_refused_with_400_and_the_reason(
        string platform, string workspaceId, string? channelId, string? groupId, string field, string reason)
    {
        await using var app = await AdminApp.StartAsync();

        var response = await app.Api().PostAsJsonAsync("/admin/api/links", new { platform, workspaceId, channelId, groupId });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("The link is not valid", (string?)body["title"]);
        Assert.Contains(reason, (string?)body["errors"]![field]![0]);
        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_400()
    {
        await using var app = await AdminApp.StartAsync();

        var response = await app.Api().PostAsync("/admin/api/links", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Fact]
    public async Task Creating_a_link_on_an_unknown_session_is_refused_with_404()
    {
        await using var app = await AdminApp.StartAsync();

        var response = await app.Api().PostAsJsonAsync("/admin/api/links",
            new { platform = "Slack", workspaceId = "T1", channelId = "C1", groupId = FieldTeam, sessionId = "00000000-0000-0000-0000-000000000000" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Unknown session", (string?)body["title"]);
        Assert.Contains("00000000-0000-0000-0000-000000000000", (string?)body["detail"]);
        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Fact]
    public async Task A_second_phone_of_the_organisation_is_a_valid_session()
    {
        await using var app = await AdminApp.StartAsync();
        app.WhatsApp.Phones.Add(new FakePhone("second-session", "Second phone", "open", "+27000000001"));
        app.WhatsApp.Groups["second-session"] = [new FakeGroup("120363999999999999@g.us", "Night Shift")];

        var response = await app.Api().PostAsJsonAsync("/admin/api/links",
            new { platform = "Slack", workspaceId = "T1", channelId = "C1", groupId = "120363999999999999@g.us", sessionId = "second-session" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(("second-session", "Night Shift"), ((await app.LinkStore.ListLinksAsync(null, null, null, default))[0].SessionId, (await app.LinkStore.ListLinksAsync(null, null, null, default))[0].GroupName));
    }

    [Fact]
    public async Task A_duplicate_link_is_refused_with_409()
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync(channelId: "C1", teamId: "T1", groupId: FieldTeam);

        var response = await app.Api().PostAsJsonAsync("/admin/api/links", new { platform = "Slack", workspaceId = "T1", channelId = "C1", groupId = FieldTeam });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("The link already exists", (string?)body["title"]);
        Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Fact]
    public async Task Creating_a_link_without_whatsapp_configured_is_refused_with_503()
    {
        await using var app = await AdminApp.StartAsync(a =>
        {
            a.Settings["WhatsApp:ApiKey"] = "";
            a.Settings["WhatsApp:SessionId"] = "";
        });

        var response = await app.Api().PostAsJsonAsync("/admin/api/links",
            new { platform = "Slack", workspaceId = "T1", channelId = "C1", groupId = FieldTeam, sessionId = Session });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("WhatsApp is not configured", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["title"]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await app.Api().GetAsync("/admin/api/phones")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await app.Api().GetAsync("/admin/api/groups")).StatusCode);
        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Fact]
    public async Task Deleting_a_link_answers_204_and_an_unknown_link_404()
    {
        await using var app = await AdminApp.StartAsync();
        var link = await app.LinkAsync();
        var other = await app.LinkAsync(groupId: Drivers, groupName: "Drivers");
        var api = app.Api();

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/admin/api/links/{link.Id}")).StatusCode);
        var again = await api.DeleteAsync($"/admin/api/links/{link.Id}");
        var get = await api.GetAsync($"/admin/api/links/{link.Id}");

        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("Unknown link", (string?)(await again.Content.ReadFromJsonAsync<JsonObject>())!["title"]);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(other.Id, Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default)).Id);
    }

    [Fact]
    public async Task Phones_are_listed_with_their_status_and_the_default_marked()
    {
        await using var app = await AdminApp.StartAsync();
        app.WhatsApp.Phones.Add(new FakePhone("second-session", "Spare phone", "close", "+27000000001"));

        var phones = (await app.Api().GetFromJsonAsync<JsonArray>("/admin/api/phones"))!;

        Assert.Equal(2, phones.Count);
        Assert.Equal((Session, "open", true, true), ((string?)phones[0]!["sessionId"], (string?)phones[0]!["status"], (bool)phones[0]!["isOpen"]!, (bool)phones[0]!["isDefault"]!));
        Assert.Equal(("Spare phone", "close", false, false), ((string?)phones[1]!["name"], (string?)phones[1]!["status"], (bool)phones[1]!["isOpen"]!, (bool)phones[1]!["isDefault"]!));
    }

    [Fact]
    public async Task Groups_are_listed_over_every_page_and_filtered_by_name()
    {
        await using var app = await AdminApp.StartAsync();
        app.WhatsApp.Groups[Session].AddRange(Enumerable.Range(1, 150).Select(i => new FakeGroup($"1203634109231{i:D5}@g.us", $"Depot {i:D3}")));
        var api = app.Api();

        var all = (await api.GetFromJsonAsync<JsonObject>("/admin/api/groups"))!;
        var filtered = (await api.GetFromJsonAsync<JsonObject>("/admin/api/groups?name=depot%20149"))!;
        var drivers = (await api.GetFromJsonAsync<JsonObject>($"/admin/api/groups?session={Session}&name=DRIV"))!;

        Assert.Equal((153, Session), ((int)all["count"]!, (string?)all["sessionId"]));
        Assert.Equal("Depot 149", (string?)Assert.Single(filtered["groups"]!.AsArray())!["name"]);
        Assert.Equal(Drivers, (string?)Assert.Single(drivers["groups"]!.AsArray())!["groupId"]);
        Assert.Contains(app.WhatsApp.Requests, r => r.Path.Contains("/groups/?page=2"));
    }

    [Fact]
    public async Task Groups_of_an_unknown_session_answer_404()
    {
        await using var app = await AdminApp.StartAsync();

        var response = await app.Api().GetAsync("/admin/api/groups?session=no-such-session");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Unknown session", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["title"]);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/")]
    [InlineData(null)]
    public async Task When_TalkNTalk_is_unreachable_or_refuses_the_key_lookups_and_links_on_unchecked_sessions_answer_502(string? baseUrl)
    {
        await using var app = await AdminApp.StartAsync(a =>
        {
            if (baseUrl is null)
            {
                a.Settings["WhatsApp:ApiKey"] = "tk_live_revoked";
            }
            else
            {
                a.Settings["WhatsApp:BaseUrl"] = baseUrl;
            }
        });
        var api = app.Api();

        var phones = await api.GetAsync("/admin/api/phones");
        var groups = await api.GetAsync("/admin/api/groups");
        // A session other than WhatsApp:SessionId must be proven to exist, which needs TalkNTalk.
        var link = await api.PostAsJsonAsync("/admin/api/links", new { platform = "Slack", workspaceId = "T1", channelId = "C1", groupId = FieldTeam, sessionId = "another-phone" });

        Assert.Equal([HttpStatusCode.BadGateway, HttpStatusCode.BadGateway, HttpStatusCode.BadGateway], [phones.StatusCode, groups.StatusCode, link.StatusCode]);
        Assert.Contains("application/problem+json", phones.Content.Headers.ContentType!.ToString());
        Assert.DoesNotContain("tk_live_revoked", await phones.Content.ReadAsStringAsync());
        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../phones")]
    [InlineData("%2E%2E")]
    [InlineData("a%2Fb")]
    [InlineData("..%2F..%2Fv1")]
    [InlineData("a%20b")]
    [InlineData("3fa85f64%0A5717")]
    public async Task A_session_that_is_not_a_session_id_is_refused_before_anything_reaches_TalkNTalk(string session)
    {
        await using var app = await AdminApp.StartAsync();

        var response = await app.Api().GetAsync($"/admin/api/groups?session={session}");
        var link = await app.Api().PostAsJsonAsync("/admin/api/links",
            new { platform = "Slack", workspaceId = "T1", channelId = "C1", groupId = FieldTeam, sessionId = Uri.UnescapeDataString(session) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("chat_id", (string)problem["errors"]!["session"]![0]!);
        Assert.Equal(HttpStatusCode.BadRequest, link.StatusCode);
        Assert.NotNull((await link.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["sessionId"]);
        Assert.Empty(app.WhatsApp.Requests);
        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_admin_api()
    {
        await using var app = await AdminApp.StartAsync();

        var document = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;

        var paths = document["paths"]!.AsObject();
        foreach (var path in new[] { "/admin/api/links", "/admin/api/links/{id}", "/admin/api/phones", "/admin/api/groups", "/admin/api/deliveries", "/admin/api/setup" })
        {
            Assert.True(paths.ContainsKey(path), path);
        }

        Assert.NotNull(paths["/admin/api/links"]!["post"]);
        Assert.NotNull(paths["/admin/api/links/{id}"]!["delete"]);
        Assert.False(paths.ContainsKey("/admin/signin"));
    }
}
