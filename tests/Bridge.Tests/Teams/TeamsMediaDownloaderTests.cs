using Bridge.Forwarding;
using Bridge.Media;
using Bridge.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Teams;

public sealed class TeamsMediaDownloaderTests
{
    [Fact]
    public async Task A_file_is_fetched_through_its_download_url_without_the_token()
    {
        await using var teams = await TeamsBridge.StartAsync(a => a.Settings["Media:TeamsFileHosts:0"] = "127.0.0.1");
        var url = new Uri(teams.BotFramework.BaseUrl, "files/report.pdf").ToString();

        using var file = await Downloader(teams).OpenAsync(Forward(teams), new Attachment { Name = "report.pdf", MimeType = "application/pdf", SourceUrl = url }, default);

        Assert.Equal("application/pdf", file.ContentType);
        var download = Assert.Single(teams.BotFramework.Downloads);
        Assert.Equal(("/files/report.pdf", ""), download);
    }

    [Fact]
    public async Task A_file_of_unknown_type_is_a_file_by_its_host_and_is_fetched_without_the_token()
    {
        await using var teams = await TeamsBridge.StartAsync(a => a.Settings["Media:TeamsFileHosts:0"] = "127.0.0.1");
        var url = new Uri(teams.BotFramework.BaseUrl, "files/manifest").ToString();

        // No extension, so no type until fetched: the empty type says only that, not "an inline image".
        using var file = await Downloader(teams).OpenAsync(Forward(teams), new Attachment { Name = "manifest", MimeType = "", SourceUrl = url }, default);

        Assert.Equal("application/octet-stream", file.ContentType);
        Assert.Equal(("/files/manifest", ""), Assert.Single(teams.BotFramework.Downloads));
        Assert.Empty(teams.Entra.TokenRequests);
    }

    [Theory]
    [InlineData("https://eu-api.asm.skype.com/v1/objects/0-weu-d4-9e8d/views/imgo")]
    [InlineData("https://graph.microsoft.com/v1.0/teams/x/channels/y/messages/1/hostedContents/z/$value")]
    [InlineData("http://127.0.0.2:1/v3/attachments/1/views/original")]
    public async Task An_inline_image_outside_the_Bot_Connector_is_not_fetched(string url)
    {
        await using var teams = await TeamsBridge.StartAsync();

        var failure = await Assert.ThrowsAsync<MediaException>(() =>
            Downloader(teams).OpenAsync(Forward(teams), new Attachment { Name = "image1", Kind = MediaKind.Image, SourceUrl = url }, default));

        Assert.Contains("not hosted by the Bot Connector", failure.Message);
        Assert.Empty(teams.Entra.TokenRequests);
    }

    [Fact]
    public async Task A_sign_in_page_instead_of_the_file_is_a_failure()
    {
        await using var teams = await TeamsBridge.StartAsync(a => a.Settings["Media:TeamsFileHosts:0"] = "127.0.0.1");
        var url = new Uri(teams.BotFramework.BaseUrl, "files/login.pdf").ToString();

        var failure = await Assert.ThrowsAsync<MediaException>(() =>
            Downloader(teams).OpenAsync(Forward(teams), new Attachment { Name = "login.pdf", MimeType = "application/pdf", SourceUrl = url }, default));

        Assert.Contains("text/html instead of login.pdf", failure.Message);
    }

    private static IMediaDownloader Downloader(TeamsBridge teams) =>
        teams.App.Services.GetServices<IMediaDownloader>().Single(d => d.Platform == Platform.Teams);

    private static Forward Forward(TeamsBridge teams) => new()
    {
        Platform = Platform.Teams,
        Reply = new ReplyTarget { ServiceUrl = teams.BotFramework.ServiceUrl },
    };
}
