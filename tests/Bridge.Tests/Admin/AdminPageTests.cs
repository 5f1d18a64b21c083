using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Bridge.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Bridge.Tests.Admin;

public sealed class AdminPageTests
{
    internal static HttpClient Browser(BridgeApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    internal static async Task<IHtmlDocument> ReadAsync(HttpResponseMessage response) =>
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

    internal static async Task<string> FormTokenAsync(HttpClient client, string path)
    {
        var document = await ReadAsync(await client.GetAsync(path));
        return document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
    }

    internal static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string key, bool withToken = true)
    {
        var fields = new Dictionary<string, string> { ["key"] = key };
        if (withToken)
        {
            fields["__RequestVerificationToken"] = await FormTokenAsync(client, "/admin/signin");
        }

        return await client.PostAsync("/admin/signin", new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task The_page_sends_a_visitor_without_a_session_to_the_sign_in_form()
    {
        await using var app = await AdminApp.StartAsync();
        var client = Browser(app);

        var response = await client.GetAsync("/admin");
        var live = await client.GetAsync("/admin/live/deliveries");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/signin", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, live.StatusCode);
        var form = await ReadAsync(await client.GetAsync("/admin/signin"));
        Assert.NotNull(form.QuerySelector("form[action='/admin/signin'] input[name=__RequestVerificationToken]"));
        Assert.Equal("password", form.QuerySelector("input[name=key]")!.GetAttribute("type"));
    }

    [Fact]
    public async Task Behind_a_TLS_proxy_the_sign_in_cookie_is_Secure_and_on_plain_http_it_is_not()
    {
        await using var app = await AdminApp.StartAsync();

        Assert.Contains("secure", await SignInCookieAsync(app, forwardedProto: "https"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", await SignInCookieAsync(app, forwardedProto: null), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Signs in carrying cookies by hand: a cookie jar would not send a Secure cookie back over the test's http.</summary>
    private static async Task<string> SignInCookieAsync(BridgeApp app, string? forwardedProto)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (forwardedProto is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        }

        var form = await client.GetAsync("/admin/signin");
        var token = (await ReadAsync(form)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/admin/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = AdminApp.Key, ["__RequestVerificationToken"] = token }),
        };
        signIn.Headers.Add("Cookie", string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        var response = await client.SendAsync(signIn);
        return Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("bridge_admin="));
    }

    [Fact]
    public async Task Signing_in_sets_an_http_only_same_site_strict_cookie_scoped_to_the_admin_page()
    {
        await using var app = await AdminApp.StartAsync();
        var client = Browser(app);

        var response = await SignInAsync(client, AdminApp.Key);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("bridge_admin="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/admin", cookie, StringComparison.OrdinalIgnoreCase);
        var page = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("Setup", (await ReadAsync(page)).QuerySelector("#setup-title")!.TextContent);
    }

    [Fact]
    public async Task The_sign_in_cookie_keys_are_kept_beside_the_database_so_sessions_survive_a_restart()
    {
        await using var app = await AdminApp.StartAsync();

        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(Browser(app), AdminApp.Key)).StatusCode);

        var keys = Path.Combine(Path.GetDirectoryName(app.DatabasePath)!, "keys");
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_no_session_is_given()
    {
        await using var app = await AdminApp.StartAsync();
        var client = Browser(app);

        var response = await SignInAsync(client, "not-the-key");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("bridge_admin="));
        Assert.Equal("That key is not the admin key.", (await ReadAsync(response)).QuerySelector("[role=alert]")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task Wrong_keys_on_the_api_and_the_sign_in_form_count_together_and_the_21st_gets_a_429_with_a_sentence()
    {
        await using var app = await AdminApp.StartAsync(a =>
        {
            a.Time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
            a.TrustTestProxy();
        });
        var api = app.Api("adm_wrong_0123456789abcdefghijklmnop").From("198.51.100.4");
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/admin/api/links")).StatusCode);
        }

        var browser = Browser(app).From("198.51.100.4");
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(browser, "wrong")).StatusCode);
        }

        var refused = await SignInAsync(browser, AdminApp.Key);
        var elsewhere = await SignInAsync(Browser(app).From("198.51.100.5"), AdminApp.Key);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter!.Delta);
        Assert.Contains("Too many wrong keys were tried from your address; try again in 60 seconds.", (await ReadAsync(refused)).Body!.TextContent);
        Assert.Null(refused.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_cookie_copied_before_sign_out_is_refused_after_it()
    {
        await using var app = await AdminApp.StartAsync();
        var client = Browser(app);
        var signIn = await SignInAsync(client, AdminApp.Key);
        var copy = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        copy.DefaultRequestHeaders.Add("Cookie", Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("bridge_admin=")).Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/admin")).StatusCode);

        var token = await FormTokenAsync(client, "/admin");
        var signOut = await client.PostAsync("/admin/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        var page = await copy.GetAsync("/admin");
        var live = await copy.GetAsync("/admin/live/deliveries");

        Assert.Equal("/admin/signin?done=signedout", signOut.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/admin/signin", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, live.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(client, AdminApp.Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task A_session_in_use_ends_at_its_lifetime_after_sign_in()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
        await using var app = await AdminApp.StartAsync(a =>
        {
            a.Time = clock;
            a.Settings["Admin:SessionLifetime"] = "10:00:00";
        });
        var client = Browser(app);
        await SignInAsync(client, AdminApp.Key);

        // Used every 3 hours, the cookie's own 8-hour expiry keeps sliding; the lifetime counts from sign-in.
        foreach (var step in new[] { 3, 3, 3 })
        {
            clock.Advance(TimeSpan.FromHours(step));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
        }

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(1));
        var ended = await client.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal("/admin/signin", ended.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Phones_and_groups_are_read_once_per_30_seconds_unless_an_admin_asks_to_refresh()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
        await using var app = await AdminApp.StartAsync(a => a.Time = clock);
        var client = Browser(app);
        await SignInAsync(client, AdminApp.Key);
        (int Phones, int Groups) Calls() =>
            (app.WhatsApp.Requests.Count(r => r.Path == "/v1/whatsapp/phones/"), app.WhatsApp.Requests.Count(r => r.Path.Contains("/groups/")));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
        Assert.Equal((1, 1), Calls());
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Api().GetAsync("/admin/api/groups")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Api().GetAsync("/admin/api/phones")).StatusCode);
        Assert.Equal((1, 1), Calls());

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
        Assert.Equal((2, 2), Calls());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin?refresh=true")).StatusCode);
        Assert.Equal((3, 3), Calls());
        Assert.Equal(HttpStatusCode.OK, (await app.Api().GetAsync("/admin/api/groups?refresh=true")).StatusCode);
        Assert.Equal((3, 4), Calls());
    }

    [Fact]
    public async Task Forms_posted_without_the_antiforgery_token_change_nothing()
    {
        await using var app = await AdminApp.StartAsync();
        var link = await app.LinkAsync();
        var client = Browser(app);

        var signIn = await SignInAsync(client, AdminApp.Key, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(client, AdminApp.Key)).StatusCode);
        var add = await client.PostAsync("/admin/links", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["platform"] = "Slack", ["workspaceId"] = "T1", ["channelId"] = "C1",
            ["group"] = $"{FakeTalkNTalk.DefaultSessionId}|120363410923125769@g.us",
        }));
        var remove = await client.PostAsync($"/admin/links/{link.Id}/remove", new FormUrlEncodedContent([]));
        var signOut = await client.PostAsync("/admin/signout", new FormUrlEncodedContent([]));

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], [add.StatusCode, remove.StatusCode, signOut.StatusCode]);
        Assert.Contains("nothing was changed", await add.Content.ReadAsStringAsync());
        Assert.Equal(link.Id, Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default)).Id);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task The_form_adds_and_removes_links_and_explains_refusals()
    {
        await using var app = await AdminApp.StartAsync();
        var client = Browser(app);
        await SignInAsync(client, AdminApp.Key);
        var token = await FormTokenAsync(client, "/admin");
        var dashboard = await ReadAsync(await client.GetAsync("/admin"));
        var drivers = dashboard.QuerySelectorAll<IHtmlOptionElement>("#group option").Single(o => o.Text == "Drivers").Value;

        FormUrlEncodedContent Form(string group) => new(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["platform"] = "Slack", ["workspaceId"] = "T1", ["channelId"] = "C1", ["group"] = group,
        });

        var added = await client.PostAsync("/admin/links", Form(drivers));
        var duplicate = await client.PostAsync("/admin/links", Form(drivers));
        var bad = await client.PostAsync("/admin/links", Form("no-group"));

        Assert.Equal("/admin?done=linked", added.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("The link already exists", (await ReadAsync(duplicate)).QuerySelector("[role=alert]")!.TextContent);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var link = Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default));
        Assert.Equal(("Drivers", "admin-page"), (link.GroupName, link.CreatedBy));

        var removed = await client.PostAsync($"/admin/links/{link.Id}/remove", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        var again = await client.PostAsync($"/admin/links/{link.Id}/remove", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal("/admin?done=unlinked", removed.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Fact]
    public async Task A_reply_Slack_refused_shows_beside_the_WhatsApp_status_and_the_Slack_card_is_red()
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync();
        app.Slack.MethodErrors["chat.postMessage"] = new SlackError("missing_scope", "chat:write");
        await app.SlashCommandAsync("Hello team!");
        await app.WaitForLogAsync(line => line.Contains("[2102]"));
        var client = Browser(app);
        await SignInAsync(client, AdminApp.Key);

        var page = await ReadAsync(await client.GetAsync("/admin"));

        var row = page.QuerySelector("#deliveries-rows tr")!;
        Assert.Equal("Delivered", row.QuerySelector("td[data-label=Status] .badge")!.TextContent);
        Assert.Equal("response_url", row.QuerySelector("td[data-label=Reply] .badge")!.TextContent);
        var slack = page.QuerySelectorAll("#setup .check").Single(c => c.QuerySelector("strong")!.TextContent == "Slack");
        Assert.Contains("failing", slack.QuerySelector(".badge")!.ClassList);
        Assert.Contains("missing_scope (needed: chat:write)", slack.TextContent);
    }

    [Fact]
    public async Task Every_value_on_the_page_is_html_encoded()
    {
        await using var app = await AdminApp.StartAsync();
        app.WhatsApp.Groups[FakeTalkNTalk.DefaultSessionId].Add(new("120363000000000666@g.us", "<img src=x onerror=alert(1)>"));
        await app.LinkAsync(groupId: "120363000000000666@g.us", groupName: "<script>alert('x')</script>", channelId: "C\"><b>");
        var client = Browser(app);
        await SignInAsync(client, AdminApp.Key);

        var html = await (await client.GetAsync("/admin")).Content.ReadAsStringAsync();
        var document = new HtmlParser().ParseDocument(html);

        Assert.Empty(document.QuerySelectorAll("main script, main img, main b"));
        Assert.Contains("<script>alert('x')</script>", document.QuerySelector("#links")!.TextContent);
        Assert.Contains(document.QuerySelectorAll("#group option"), o => o.TextContent == "<img src=x onerror=alert(1)>");
        Assert.DoesNotContain("<script>alert", html);
    }

    [Fact]
    public async Task The_stylesheet_and_script_are_served_by_bridge()
    {
        await using var app = await AdminApp.StartAsync();
        var client = app.CreateClient();

        var css = await client.GetAsync("/admin/assets/admin.css");
        var js = await client.GetAsync("/admin/assets/admin.js");

        Assert.Equal(("text/css", "text/javascript"), (css.Content.Headers.ContentType?.MediaType, js.Content.Headers.ContentType?.MediaType));
        Assert.Contains("@media", await css.Content.ReadAsStringAsync());
        Assert.Contains("/admin/live/deliveries", await js.Content.ReadAsStringAsync());
        Assert.Contains("src=\"/admin/assets/admin.js\"", await client.GetStringAsync("/admin/signin"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/admin/assets/other.js")).StatusCode);
    }

    [Fact]
    public async Task A_refused_link_form_shows_each_error_beside_its_field_and_a_duplicate_names_the_group()
    {
        await using var app = await AdminApp.StartAsync();
        await app.LinkAsync(groupId: "120363410923125769@g.us", groupName: "Drivers", channelId: "C1", teamId: "T1");
        var client = Browser(app);
        await SignInAsync(client, AdminApp.Key);
        var token = await FormTokenAsync(client, "/admin");
        var drivers = (await ReadAsync(await client.GetAsync("/admin"))).QuerySelectorAll<IHtmlOptionElement>("#group option").Single(o => o.Text == "Drivers").Value;

        FormUrlEncodedContent Form(string workspaceId, string channelId) => new(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["platform"] = "Slack", ["workspaceId"] = workspaceId, ["channelId"] = channelId, ["group"] = drivers,
        });

        var duplicate = await ReadAsync(await client.PostAsync("/admin/links", Form("T1", "C1")));
        var invalid = await ReadAsync(await client.PostAsync("/admin/links", Form("T 1", "C1")));

        Assert.Contains("already linked to WhatsApp group Drivers (120363410923125769@g.us)", duplicate.QuerySelector("#group-error")!.TextContent);
        Assert.Equal("group-error", duplicate.QuerySelector("#group")!.GetAttribute("aria-describedby"));
        Assert.Contains("WorkspaceId must be an id without spaces", invalid.QuerySelector("#workspaceId-error")!.TextContent);
        Assert.Equal("true", invalid.QuerySelector("#workspaceId")!.GetAttribute("aria-invalid"));
        Assert.Null(invalid.QuerySelector("#group-error"));
        Assert.Equal("T 1", invalid.QuerySelector<IHtmlInputElement>("#workspaceId")!.Value);
        Assert.Null(invalid.QuerySelector("main > .error"));
        Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Fact]
    public async Task The_page_pauses_and_changes_a_link_with_forms_and_shows_times_as_utc_time_elements()
    {
        await using var app = await AdminApp.StartAsync();
        var link = await app.LinkAsync();
        var client = Browser(app);
        await SignInAsync(client, AdminApp.Key);
        var page = await ReadAsync(await client.GetAsync("/admin"));
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var supportDesk = page.QuerySelectorAll<IHtmlOptionElement>($"#group-{link.Id} option").Single(o => o.Text == "Support Desk").Value;

        var time = page.QuerySelector("#links time")!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", time.GetAttribute("datetime"));
        Assert.EndsWith(" UTC", time.TextContent);
        Assert.Equal(time.TextContent, time.GetAttribute("title"));

        var paused = await client.PostAsync($"/admin/links/{link.Id}/edit",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["paused"] = "true" }));
        var moved = await client.PostAsync($"/admin/links/{link.Id}/edit",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["group"] = supportDesk }));
        var bad = await client.PostAsync($"/admin/links/{link.Id}/edit",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["group"] = "not-a-choice" }));

        Assert.Equal("/admin?done=paused#links", paused.Headers.Location!.OriginalString);
        Assert.Equal("/admin?done=changed#links", moved.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Pick the WhatsApp group", (await ReadAsync(bad)).QuerySelector($"#group-{link.Id}-error")!.TextContent);
        var stored = Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default));
        Assert.Equal(("120363410923125770@g.us", "Support Desk", true), (stored.GroupId, stored.GroupName, stored.Paused));
        var after = await ReadAsync(await client.GetAsync("/admin?done=changed"));
        Assert.Equal("paused", after.QuerySelector($"#link-{link.Id} .badge.paused")!.TextContent);
        Assert.Contains("Remove the link from Slack channel C08QWERTY12 to WhatsApp group Support Desk?", after.QuerySelector($"#link-{link.Id} details.remove .confirm")!.TextContent);
    }

    [Fact]
    public async Task The_favicon_is_served_with_caching_and_a_missing_public_base_url_is_on_the_setup_card_and_in_the_log()
    {
        await using var app = await AdminApp.StartAsync(a => a.Settings.Remove("Bridge:PublicBaseUrl"));
        var client = Browser(app);

        var icon = await client.GetAsync("/favicon.ico");
        await SignInAsync(client, AdminApp.Key);
        var page = await ReadAsync(await client.GetAsync("/admin"));

        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromDays(1), icon.Headers.CacheControl?.MaxAge);
        Assert.StartsWith("<svg", await icon.Content.ReadAsStringAsync());
        var files = page.QuerySelectorAll("#setup .check").Single(c => c.QuerySelector("strong")!.TextContent == "Files (Bridge:PublicBaseUrl)");
        Assert.Contains("needs-attention", files.QuerySelector(".badge")!.ClassList);
        Assert.Contains("images and documents cannot be forwarded", files.TextContent);
        Assert.Single(app.Logs, l => l.Contains("Bridge:PublicBaseUrl is not set"));
        Assert.Equal(["#setup", "#phones", "#links", "#add-link", "#schedules", "#deliveries"], page.QuerySelectorAll("nav.sections a").Select(a => a.GetAttribute("href")));
    }
}
