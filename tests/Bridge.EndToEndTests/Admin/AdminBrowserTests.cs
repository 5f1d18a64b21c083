using System.Net;
using Bridge.Tests.Admin;
using Bridge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bridge.EndToEndTests.Admin;

/// <summary>
/// The admin page in Chromium (<see cref="ChromiumExecutable"/>), driven by Playwright, against Bridge on real Kestrel. Screenshots go to
/// TestResults/screenshots under the test output.
/// </summary>
public sealed class AdminBrowserTests
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private static async Task<(BridgeApp App, string BaseUrl)> StartOnKestrelAsync(Action<BridgeApp>? configure = null)
    {
        var app = await AdminApp.StartAsync(configure);
        app.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, address.TrimEnd('/'));
    }

    private static async Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumExecutable.Path, Headless = true, Args = ChromiumArgs });

    private static BrowserNewContextOptions PhoneContext() => new()
    {
        ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2,
    };

    private static async Task SignInAsync(IPage page, string baseUrl)
    {
        await page.GotoAsync(baseUrl + "/admin/signin");
        await page.GetByLabel("Admin key").FillAsync(AdminApp.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Setup" })).ToBeVisibleAsync();
    }

    private static Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

    [Fact]
    public async Task An_admin_signs_in_links_a_channel_watches_a_delivery_arrive_removes_the_link_and_signs_out()
    {
        var (app, baseUrl) = await StartOnKestrelAsync();
        await using var _ = app;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var expect = new LocatorAssertionsToContainTextOptions { Timeout = 20_000 };

        await page.GotoAsync(baseUrl + "/admin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();

        await page.GetByLabel("Admin key").FillAsync("definitely-not-the-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That key is not the admin key.");
        await ShotAsync(page, "signin-refused-desktop");

        await page.GetByLabel("Admin key").FillAsync(AdminApp.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Setup" })).ToBeVisibleAsync();
        await Expect(page.Locator("#setup")).ToContainTextAsync("workspace acme-ops");
        await Expect(page.Locator("#phones")).ToContainTextAsync("Ops phone");

        await page.GetByLabel("Platform").SelectOptionAsync("Slack");
        await page.GetByLabel("Workspace id").FillAsync("T08ABCD1234");
        await page.GetByLabel("Channel id").FillAsync("C08QWERTY12");
        await page.GetByLabel("WhatsApp group").SelectOptionAsync(new SelectOptionValue { Label = "Field Team" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Add link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Link added.");
        await Expect(page.Locator("#links tbody")).ToContainTextAsync("Field Team");
        await Expect(page.Locator("#links tbody")).ToContainTextAsync("C08QWERTY12");

        var response = await app.SlashCommandAsync("Hello team! Truck 12 is in");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.WhatsApp.WaitForSendsAsync(1);
        var messageId = Assert.Single(app.WhatsApp.Sends).MessageId!;
        await Expect(page.Locator("#deliveries-rows")).ToContainTextAsync(messageId, expect);
        await Expect(page.Locator("#deliveries-rows tr").First).ToContainTextAsync("Delivered", expect);
        await Expect(page.Locator("#deliveries-rows")).ToContainTextAsync("Hello team! Truck 12 is in");
        await ShotAsync(page, "dashboard-desktop");

        await page.SetViewportSizeAsync(390, 844);
        await Expect(page.Locator("#deliveries-rows")).ToContainTextAsync(messageId);
        await ShotAsync(page, "dashboard-phone");
        await page.SetViewportSizeAsync(1280, 900);

        await page.Locator("#links tbody tr summary", new() { HasText = "Remove" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove link", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Link removed.");
        await Expect(page.Locator("#links")).ToContainTextAsync("No channel is linked yet.");
        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("You are signed out.");
        await page.GotoAsync(baseUrl + "/admin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_sign_in_page_and_a_failed_delivery_look_right_on_a_phone()
    {
        var (app, baseUrl) = await StartOnKestrelAsync();
        await using var _ = app;
        await app.LinkAsync();
        app.WhatsApp.SendBehavior = _ => new FakeAnswer(409, "Phone is not connected.");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var context = await browser.NewContextAsync(PhoneContext());
        var page = await context.NewPageAsync();

        await page.GotoAsync(baseUrl + "/admin/signin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await ShotAsync(page, "signin-phone");

        await page.GetByLabel("Admin key").FillAsync(AdminApp.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Setup" })).ToBeVisibleAsync();

        await app.SlashCommandAsync("Shift change at 6");
        await Expect(page.Locator("#deliveries-rows")).ToContainTextAsync("The WhatsApp phone is not connected", new() { Timeout = 20_000 });
        await Expect(page.Locator("#deliveries-rows tr").First).ToContainTextAsync("Failed");
        await ShotAsync(page, "failed-delivery-phone");
    }

    [Fact]
    public async Task An_admin_pauses_a_link_changes_its_group_and_removes_it_after_cancelling_once()
    {
        var (app, baseUrl) = await StartOnKestrelAsync();
        await using var _ = app;
        var link = await app.LinkAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await SignInAsync(page, baseUrl);
        var row = page.Locator("#links tbody tr");

        // Times show in the browser's zone; UTC stays on hover.
        var added = row.Locator("time");
        Assert.EndsWith(" UTC", await added.GetAttributeAsync("title"));
        Assert.NotEqual(await added.GetAttributeAsync("title"), await added.TextContentAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause the link from Slack channel C08QWERTY12 to Field Team" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Link paused");
        await Expect(row.Locator(".badge.paused")).ToHaveTextAsync("paused");
        Assert.True(Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default)).Paused);

        await row.Locator("summary", new() { HasText = "Change group" }).ClickAsync();
        await row.GetByLabel("WhatsApp group for Slack channel C08QWERTY12").SelectOptionAsync(new SelectOptionValue { Label = "Drivers" });
        await ShotAsync(page, "link-change-desktop");
        await row.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Link changed.");
        await Expect(row.Locator("td[data-label=Group]")).ToContainTextAsync("Drivers");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume the link from Slack channel C08QWERTY12 to Drivers" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Link resumed.");
        var changed = Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default));
        Assert.Equal((link.Id, "120363410923125769@g.us", false), (changed.Id, changed.GroupId, changed.Paused));

        var confirm = row.Locator(".confirm");
        await row.Locator("summary", new() { HasText = "Remove" }).ClickAsync();
        await Expect(confirm).ToContainTextAsync("Remove the link from Slack channel C08QWERTY12 to WhatsApp group Drivers?");
        await ShotAsync(page, "link-remove-confirm-desktop");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(confirm).ToBeHiddenAsync();
        Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default));

        await page.SetViewportSizeAsync(390, 844);
        await row.Locator("summary", new() { HasText = "Remove" }).ClickAsync();
        await Expect(confirm).ToBeVisibleAsync();
        await ShotAsync(page, "link-remove-confirm-phone");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Remove link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Link removed.");
        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Fact]
    public async Task On_a_phone_the_section_navigation_stays_at_the_top_and_jumps_to_the_deliveries()
    {
        var (app, baseUrl) = await StartOnKestrelAsync();
        await using var _ = app;
        await app.LinkAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var context = await browser.NewContextAsync(PhoneContext());
        var page = await context.NewPageAsync();
        await SignInAsync(page, baseUrl);
        await ShotAsync(page, "dashboard-with-nav-phone");

        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" });
        await nav.GetByRole(AriaRole.Link, new() { Name = "Deliveries" }).ClickAsync();

        await Expect(page.Locator("#deliveries-title")).ToBeInViewportAsync();
        await Expect(nav).ToBeInViewportAsync();
        var top = await nav.EvaluateAsync<double>("n => n.getBoundingClientRect().top");
        Assert.InRange(top, -1, 1);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "nav-deliveries-phone.png") });
    }

    [Fact]
    public async Task An_admin_opens_attempts_retries_a_failed_delivery_searches_and_pages_sees_the_chart_and_downloads_the_csv()
    {
        var (app, baseUrl) = await StartOnKestrelAsync();
        await using var _ = app;
        await app.LinkAsync();
        app.WhatsApp.SendBehavior = send => send.Message!.Contains("Shift", StringComparison.Ordinal) ? new FakeAnswer(400, "The group does not accept messages.") : null;
        await app.SlashCommandAsync("Truck 12 is in");
        await app.SlashCommandAsync("Truck 14 is in");
        await app.SlashCommandAsync("Shift change at 6");
        await app.Slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) >= 3);
        app.WhatsApp.SendBehavior = null;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await SignInAsync(page, baseUrl);

        // The chart: three deliveries of the last hour, two delivered and one failed.
        await Expect(page.Locator("#traffic svg.chart rect.bar.failed")).ToHaveCountAsync(1);
        await Expect(page.Locator("#traffic svg.chart rect.bar.delivered")).ToHaveAttributeAsync("data-count", "2");

        // Attempts open in place; the failed one is retried and its new outcome arrives.
        var failed = page.Locator("#deliveries-rows tr").First;
        await failed.Locator("details.attempts summary").ClickAsync();
        await Expect(failed.Locator("details.attempts li")).ToContainTextAsync("WhatsApp refused the message.");
        await Expect(failed.Locator("details.attempts li")).ToContainTextAsync("HTTP 400");
        await ShotAsync(page, "deliveries-attempts-desktop");
        await failed.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Sent again");
        await page.ReloadAsync();
        await Expect(page.Locator("#deliveries-rows tr").First).ToContainTextAsync("Delivered", new() { Timeout = 20_000 });
        await Expect(page.Locator("#deliveries-rows tr").First).ToContainTextAsync("Retry of #3");
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null && p.Text.Contains("sent again by a Bridge admin", StringComparison.Ordinal)));
        await ShotAsync(page, "deliveries-retried-desktop");

        // Search by text, one a page, then the older page.
        await page.GotoAsync(baseUrl + "/admin?pageSize=1");
        await page.GetByLabel("Text contains").FillAsync("truck");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.Locator("#deliveries-rows tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#deliveries-rows")).ToContainTextAsync("Truck 14 is in");
        await page.GetByRole(AriaRole.Link, new() { Name = "Older →" }).ClickAsync();
        await Expect(page.Locator("#deliveries-rows")).ToContainTextAsync("Truck 12 is in");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Older →" })).ToHaveCountAsync(0);
        Assert.Contains("text=truck", page.Url);

        // The CSV of the search.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Equal("deliveries.csv", download.SuggestedFilename);
        Assert.Equal(3, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("Truck 12 is in", csv);

        await page.GotoAsync(baseUrl + "/admin");
        await ShotAsync(page, "traffic-desktop");
        await page.SetViewportSizeAsync(390, 844);
        await ShotAsync(page, "traffic-phone");
    }
}
