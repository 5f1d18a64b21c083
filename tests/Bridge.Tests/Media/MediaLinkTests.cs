using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Bridge.Media;
using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Media;

public sealed class MediaLinkTests
{
    [Fact]
    public async Task A_tampered_media_link_is_refused_and_reveals_nothing()
    {
        await using var app = await BridgeApp.StartAsync();
        var url = new Uri(await SendImageAsync(app));
        var client = app.CreateClient();
        var (id, name) = (url.Segments[2].TrimEnd('/'), url.Segments[3]);
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        var (exp, sig) = (query["exp"]!, query["sig"]!);
        var flipped = (sig[0] == 'A' ? "B" : "A") + sig[1..];

        string[] tampered =
        [
            $"/media/{id}/{name}?exp={exp}&sig={flipped}",
            $"/media/{id}/{name}?exp={long.Parse(exp) + 1}&sig={sig}",
            $"/media/{id}/other.png?exp={exp}&sig={sig}",
            $"/media/{id[..^1]}{(id[^1] == '0' ? '1' : '0')}/{name}?exp={exp}&sig={sig}",
            $"/media/{id}/{name}?exp={exp}",
            $"/media/{id}/{name}?exp={exp}&sig=%%%",
            $"/media/{id}/{name}",
        ];

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);
        foreach (var path in tampered)
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(id, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task An_expired_media_link_is_refused()
    {
        await using var app = await BridgeApp.StartAsync();
        var url = new Uri(await SendImageAsync(app));
        var (id, name) = (url.Segments[2].TrimEnd('/'), Uri.UnescapeDataString(url.Segments[3]));
        var signer = app.Services.GetRequiredService<MediaSigner>();

        var expired = await signer.CreateUrlAsync(new Uri("http://localhost/"), id, name, DateTimeOffset.UtcNow.AddSeconds(-1));

        var response = await app.CreateClient().GetAsync(expired);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Expired_media_is_purged_from_the_store()
    {
        await using var app = await BridgeApp.StartAsync();
        var store = app.MediaStore;
        var now = DateTimeOffset.UtcNow;
        await store.SaveMediaAsync(new StoredMedia("old", "old.png", "image/png", now.AddMinutes(-1)), new MemoryStream([1, 2, 3]), default);
        var kept = await store.SaveMediaAsync(new StoredMedia("new", "new.png", "image/png", now.AddHours(1)), new MemoryStream([4, 5]), default);

        var purged = await store.PurgeExpiredMediaAsync(now, default);

        Assert.Equal(1, purged);
        Assert.Null(await store.GetMediaAsync("old", default));
        Assert.Null(await store.OpenMediaAsync("old", default));
        Assert.Equal(2, kept.Length);
        using var content = (await store.OpenMediaAsync("new", default))!;
        var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        Assert.Equal([4, 5], copy.ToArray());
    }

    [Fact]
    public async Task A_file_on_a_foreign_host_is_not_fetched_with_the_token()
    {
        await using var app = await BridgeApp.StartAsync();
        await using var foreign = await ForeignHost.StartAsync();
        await app.LinkAsync();
        var files = new JsonArray(SlackPayloads.File("a.png", "image/png", 10, foreign.Url("a.png")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Look", files: files));

        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, "1767224100.123459");
        Assert.Empty(foreign.Requests);
        Assert.Equal("Look", Assert.Single(app.WhatsApp.Sends).Message);
        Assert.Contains("a.png was not sent: its address is not on files.slack.com", reply.Text);
    }

    [Fact]
    public async Task A_redirect_to_another_host_is_followed_without_the_token()
    {
        await using var app = await BridgeApp.StartAsync();
        await using var foreign = await ForeignHost.StartAsync();
        await app.LinkAsync();
        app.Slack.Files["moved.png"] = new FakeSlackFile([], "image/png", RedirectTo: foreign.Url("moved.png"));
        var files = new JsonArray(SlackPayloads.File("moved.png", "image/png", 3, app.Slack.FileUrl("moved.png")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Moved", files: files));

        await SlackShortcutTests.ReplyInThreadAsync(app, "1767224100.123459");
        Assert.Equal("Bearer " + FakeSlackApi.BotToken, Assert.Single(app.Slack.FileRequests).Authorization);
        Assert.Equal("", Assert.Single(foreign.Requests));
        var send = Assert.Single(app.WhatsApp.Sends);
        Assert.Equal(ForeignHost.Content, await SlackShortcutTests.FetchAsync(app, send.Url!));
    }

    [Fact]
    public async Task A_sign_in_page_instead_of_the_file_is_an_error_about_files_read()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        app.Slack.Files["a.png"] = new FakeSlackFile([1, 2, 3], "image/png", SignInPage: true);
        var files = new JsonArray(SlackPayloads.File("a.png", "image/png", 3, app.Slack.FileUrl("a.png")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("", files: files));

        var reply = await SlackShortcutTests.ReplyInThreadAsync(app, "1767224100.123459");
        Assert.Contains("sign-in page", reply.Text);
        Assert.Contains("files:read", reply.Text);
        Assert.Empty(app.WhatsApp.Sends);
    }

    [Fact]
    public async Task A_file_name_with_slashes_still_gives_a_working_media_link()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        var bytes = SlackShortcutTests.RandomBytes(700);
        var files = new JsonArray(SlackPayloads.File("q3/report\\final.png", "image/png", bytes.Length, app.Slack.AddFile("q3-report.png", bytes, "image/png")));

        await app.PostShortcutAsync(SlackPayloads.MessageAction("Report", files: files));

        await app.WhatsApp.WaitForSendsAsync(1);
        Assert.EndsWith("/q3_report_final.png", new Uri(app.WhatsApp.Sends[0].Url!).AbsolutePath);
        Assert.Equal(bytes, await SlackShortcutTests.FetchAsync(app, app.WhatsApp.Sends[0].Url!));
    }

    [Fact]
    public async Task The_media_signing_key_never_appears_in_the_logs()
    {
        const string key = "media-signing-key-0123456789-abcdefghij";
        await using var app = await BridgeApp.StartAsync(a => a.Settings["Media:SigningKey"] = key);
        await SendImageAsync(app);

        Assert.DoesNotContain(app.Logs, line => line.Contains(key, StringComparison.Ordinal) || line.Contains(FakeSlackApi.BotToken, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://bridge.example.com/")]
    [InlineData("relative/path")]
    public async Task A_public_base_url_that_is_not_https_stops_start_up(string url)
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings["Bridge:PublicBaseUrl"] = url);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Bridge:PublicBaseUrl", error.ToString());
    }

    private static async Task<string> SendImageAsync(BridgeApp app)
    {
        await app.LinkAsync();
        var bytes = SlackShortcutTests.RandomBytes(5000);
        var files = new JsonArray(SlackPayloads.File("shot 1.png", "image/png", bytes.Length, app.Slack.AddFile("shot 1.png", bytes, "image/png")));
        await app.PostShortcutAsync(SlackPayloads.MessageAction("Image", files: files));
        await app.WhatsApp.WaitForSendsAsync(1);
        return app.WhatsApp.Sends[0].Url!;
    }

    /// <summary>A file server on another port of 127.0.0.1: not Slack's host, so it must never see the bot token.</summary>
    private sealed class ForeignHost : IAsyncDisposable
    {
        public static readonly byte[] Content = [9, 8, 7];
        private readonly ConcurrentQueue<string> _requests = new();
        private LoopbackServer _server = null!;

        public IReadOnlyList<string> Requests => _requests.ToArray();

        public string Url(string name) => new Uri(_server.BaseUrl, "files/" + name).ToString();

        public static async Task<ForeignHost> StartAsync()
        {
            var host = new ForeignHost();
            host._server = await LoopbackServer.StartAsync(app => app.MapGet("/files/{name}", (HttpContext context) =>
            {
                host._requests.Enqueue(context.Request.Headers.Authorization.ToString());
                return Results.Bytes(Content, "image/png");
            }));
            return host;
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }
}
