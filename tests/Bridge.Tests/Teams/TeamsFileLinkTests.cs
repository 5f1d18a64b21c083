using System.Net;
using System.Text.Json.Nodes;
using Bridge.Media;
using Bridge.Forwarding;
using Bridge.Teams;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Teams;

/// <summary>Teams file links (file.download.info) are fetched only from SharePoint and OneDrive, and never for longer than the download limit.</summary>
public sealed class TeamsFileLinkTests
{
    private const string Text = "field-team *Truck 12* is _delayed_ ~30 min and rerouted";
    private const string Drivers = "120363410923125769@g.us";

    [Theory]
    [InlineData("https://contoso.sharepoint.com/personal/maria_contoso_com/_layouts/15/download.aspx?UniqueId=1", true)]
    [InlineData("https://contoso-my.sharepoint.com/personal/maria_contoso_com/Documents/Microsoft%20Teams%20Chat%20Files/a.pdf", true)]
    [InlineData("https://agency.sharepoint.us/sites/ops/a.pdf", true)]
    [InlineData("https://onedrive.live.com/download?cid=1&resid=2", true)]
    [InlineData("https://public.ch.files.1drv.com/y4m/a.pdf", true)]
    [InlineData("http://contoso.sharepoint.com/a.pdf", false)]
    [InlineData("https://contoso.sharepoint.com.evil.example/a.pdf", false)]
    [InlineData("https://evilsharepoint.com/a.pdf", false)]
    [InlineData("https://user@contoso.sharepoint.com/a.pdf", false)]
    [InlineData("https://10.0.0.5/a.pdf", false)]
    [InlineData("https://169.254.169.254/latest/meta-data/", false)]
    [InlineData("http://127.0.0.1:8080/a.pdf", false)]
    [InlineData("https://graph.microsoft.com/v1.0/me/drive/root/content", false)]
    public void Only_SharePoint_and_OneDrive_over_https_are_file_hosts_by_default(string url, bool allowed) =>
        Assert.Equal(allowed, new TeamsFileHosts(Options.Create(new MediaOptions())).IsAllowed(new Uri(url)));

    [Theory]
    [InlineData("https://files.contoso.example/a.pdf", true)]
    [InlineData("https://eu.files.contoso.example/a.pdf", true)]
    [InlineData("https://contoso.sharepoint.com/personal/maria_contoso_com/a.pdf", true)]
    [InlineData("https://onedrive.live.com/download?cid=1&resid=2", true)]
    [InlineData("https://other.example/a.pdf", false)]
    public void A_listed_file_host_is_allowed_besides_SharePoint_and_OneDrive(string url, bool allowed) =>
        Assert.Equal(allowed, new TeamsFileHosts(Options.Create(new MediaOptions { TeamsFileHosts = ["files.contoso.example"] })).IsAllowed(new Uri(url)));

    [Theory]
    [InlineData("Media:DownloadTimeout", "00:00:00", "Media:DownloadTimeout must be positive.")]
    [InlineData("Media:TeamsFileHosts:0", "https://contoso.sharepoint.com/", "Media:TeamsFileHosts must list host names")]
    public async Task A_bad_download_setting_stops_start_up_naming_its_key(string key, string value, string message)
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings[key] = value);

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.20.0.1", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("13.107.136.9", true)]
    [InlineData("2620:1ec:8f8::9", true)]
    public void Only_public_addresses_may_be_connected(string address, bool isPublic) =>
        Assert.Equal(isPublic, PublicNetwork.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("loopback")]
    [InlineData("private")]
    [InlineData("link-local")]
    [InlineData("look-alike")]
    public async Task A_file_link_off_SharePoint_is_never_fetched_and_the_reply_names_it(string where)
    {
        await using var files = await FakeFileHost.StartAsync();
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var url = where switch
        {
            "loopback" => files.Serve("manifest.pdf", [37, 80, 68, 70], "application/pdf"),
            "private" => "https://10.20.30.40/manifest.pdf",
            "link-local" => "https://169.254.169.254/manifest.pdf",
            _ => "https://contoso.sharepoint.com.evil.example/manifest.pdf",
        };

        await teams.PostAsync(WithFile(teams, "manifest.pdf", url));

        var outcome = await OutcomeAsync(teams);
        Assert.Contains("manifest.pdf was not forwarded: its download link is not on SharePoint or OneDrive", outcome);
        Assert.Empty(files.Requests);
        var send = Assert.Single(teams.App.WhatsApp.Sends);
        Assert.Equal(("text", Text), (send.Type, send.Message));
        Assert.DoesNotContain((await teams.App.ForwardStore.GetForwardAsync(Assert.Single(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)).ForwardId, default))!.Attachments,
            a => a.Name == "manifest.pdf");
    }

    [Fact]
    public async Task A_redirect_off_the_file_hosts_is_not_followed_and_the_text_still_goes()
    {
        await using var files = await FakeFileHost.StartAsync();
        await using var teams = await TeamsBridge.StartAsync(a => a.Settings["Media:TeamsFileHosts:0"] = "127.0.0.1");
        await teams.LinkAsync();
        // The same fake under another name: reaching it would show up in its requests.
        var target = files.Serve("target.pdf", [37, 80, 68, 70], "application/pdf").Replace("127.0.0.1", "localhost");

        await teams.PostAsync(WithFile(teams, "manifest.pdf", files.Redirect("manifest.pdf", target)));

        var outcome = await OutcomeAsync(teams);
        Assert.Contains("manifest.pdf was not forwarded: its download link redirected away from SharePoint and OneDrive", outcome);
        Assert.Equal(["/manifest.pdf"], files.Requests);
        var send = Assert.Single(teams.App.WhatsApp.Sends);
        Assert.Equal(("text", Text), (send.Type, send.Message));
    }

    [Fact]
    public async Task A_file_host_name_that_resolves_to_loopback_is_refused_when_connecting()
    {
        await using var files = await FakeFileHost.StartAsync();
        // "localhost" passes the host rule here, so only the check of the resolved address stands in the way.
        await using var teams = await TeamsBridge.StartAsync(a => a.Settings["Media:TeamsFileHosts:0"] = "localhost");
        await teams.LinkAsync();
        var url = $"https://localhost:{files.BaseUrl.Port}/manifest.pdf";
        files.Serve("manifest.pdf", [37, 80, 68, 70], "application/pdf");

        await teams.PostAsync(WithFile(teams, "manifest.pdf", url));

        var outcome = await OutcomeAsync(teams);
        Assert.Contains("manifest.pdf was not forwarded: its download link points into a private network", outcome);
        Assert.Empty(files.Requests);
        Assert.Equal(Text, Assert.Single(teams.App.WhatsApp.Sends).Message);
    }

    [Fact]
    public async Task A_listed_file_host_is_fetched_and_the_file_is_sent_with_the_text_as_caption()
    {
        await using var files = await FakeFileHost.StartAsync();
        await using var teams = await TeamsBridge.StartAsync(a => a.Settings["Media:TeamsFileHosts:0"] = "127.0.0.1");
        await teams.LinkAsync();
        byte[] pdf = [37, 80, 68, 70, 45, 49];

        await teams.PostAsync(WithFile(teams, "manifest.pdf", files.Redirect("manifest.pdf", files.Serve("stored.pdf", pdf, "application/pdf"))));

        var outcome = await OutcomeAsync(teams);
        Assert.StartsWith("✅", outcome);
        Assert.Equal(["/manifest.pdf", "/stored.pdf"], files.Requests);
        var send = Assert.Single(teams.App.WhatsApp.Sends);
        Assert.StartsWith(Text + "\n\n📎 manifest.pdf: http://localhost/media/", send.Message);
    }

    [Fact]
    public async Task A_stalled_download_ends_at_the_limit_and_another_groups_message_goes_meanwhile()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var files = await FakeFileHost.StartAsync();
        await using var teams = await TeamsBridge.StartAsync(a =>
        {
            a.Time = time;
            a.Settings["Media:TeamsFileHosts:0"] = "127.0.0.1";
            a.Settings["Media:DownloadTimeout"] = "00:01:00";
        });
        await teams.LinkAsync();
        await teams.App.LinkAsync(groupId: Drivers, groupName: "Drivers");

        var trickle = new Trickle(time);
        await teams.PostAsync(WithFile(teams, "manifest.pdf", files.Stall("manifest.pdf", 40_000, trickle)));
        await trickle.WaitForBytesAsync(1);

        // The Teams group's lane is held by the download; the Slack channel's group is served meanwhile.
        await teams.App.SlashCommandAsync("Gate B at 14:30");
        await teams.App.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal((Drivers, "Gate B at 14:30"), (Assert.Single(teams.App.WhatsApp.Sends).To, teams.App.WhatsApp.Sends[0].Message));
        await teams.App.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null));
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith("Sending", StringComparison.Ordinal)));
        Assert.Single(teams.App.WhatsApp.Sends);

        // A byte every 10 s up to 50 s: the host never goes quiet, yet the download is still going.
        for (var sent = 2; sent <= 6; sent++)
        {
            time.Advance(Trickle.Step);
            await trickle.WaitForBytesAsync(sent);
        }

        Assert.DoesNotContain(teams.BotFramework.Posts, p => p.Text.StartsWith('✅') || p.Text.StartsWith('❌'));
        time.Advance(Trickle.Step);

        var outcome = await OutcomeAsync(teams);
        Assert.Contains("manifest.pdf could not be fetched from Teams: the download took longer than 1 min.", outcome);
        var send = teams.App.WhatsApp.Sends.Single(s => s.To != Drivers);
        Assert.Equal(("text", Text), (send.Type, send.Message));
        Assert.StartsWith($"✅ Sent to WhatsApp group Field Team: message_id {send.MessageId}", outcome);
    }

    /// <summary>
    /// The mention fixture with a file sent in a personal chat, shaped as Teams sends it
    /// (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4).
    /// </summary>
    private static JsonObject WithFile(TeamsBridge teams, string name, string downloadUrl)
    {
        var activity = teams.Activity("teams-message-mention.json");
        activity["attachments"]!.AsArray().Add(new JsonObject
        {
            ["contentType"] = TeamsForwardBuilder.FileDownloadInfoType,
            ["contentUrl"] = "https://contoso-my.sharepoint.com/personal/maria_contoso_com/Documents/Microsoft%20Teams%20Chat%20Files/" + name,
            ["name"] = name,
            ["content"] = new JsonObject
            {
                ["downloadUrl"] = downloadUrl,
                ["uniqueId"] = "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
                ["fileType"] = "pdf",
                ["etag"] = "\"{1A2B3C4D-5E6F-4A8B-9C0D-1E2F3A4B5C6D},1\"",
            },
        });
        return activity;
    }

    private static async Task<string> OutcomeAsync(TeamsBridge teams)
    {
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith('✅') || p.Text.StartsWith('❌')));
        return teams.BotFramework.Posts.First(p => p.Text.StartsWith('✅') || p.Text.StartsWith('❌')).Text;
    }
}
