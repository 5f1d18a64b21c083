using System.Net.Http.Headers;
using Bridge.Forwarding;
using Bridge.Http;
using Bridge.Media;
using Microsoft.Extensions.Options;

namespace Bridge.Slack;

/// <summary>
/// Downloads Slack files (<c>url_private_download</c>) with the bot token. The token goes only to files.slack.com, or
/// in tests to the loopback host of <c>Slack:ApiBaseUrl</c>, and never to a Web API path there; redirects are followed
/// by hand so it is never carried to another host (https://api.slack.com/types/file#authentication).
/// </summary>
internal sealed class SlackMediaDownloader(IHttpClientFactory httpClients, IOptions<SlackOptions> options) : IMediaDownloader
{
    public const string HttpClientName = "slack-files";
    private const int MaxRedirects = 3;

    public Platform Platform => Platform.Slack;

    /// <summary>
    /// Whether Bridge may send its Slack token to this URL for a download. A url_private on the Web API host
    /// (slack.com/api/…) would otherwise turn a message's file into a Web API call made with the bot token.
    /// </summary>
    public bool IsSlackFileUrl(Uri url)
    {
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return false;
        }

        if (url.Scheme == Uri.UriSchemeHttps && url.IdnHost.Equals("files.slack.com", StringComparison.OrdinalIgnoreCase) && url.IsDefaultPort)
        {
            return true;
        }

        var api = options.Value.ApiBaseUrl;
        return SafeUrl.IsLoopback(api)
            && url.Scheme == api.Scheme
            && url.IdnHost.Equals(api.IdnHost, StringComparison.OrdinalIgnoreCase)
            && url.Port == api.Port
            && !url.AbsolutePath.StartsWith(api.AbsolutePath, StringComparison.OrdinalIgnoreCase);
    }

    public static string NotOnSlack(string name) =>
        $"{name} was not sent: its address is not on files.slack.com, and Bridge sends its Slack token only to Slack.";

    public async Task<DownloadedFile> OpenAsync(Forward forward, Attachment attachment, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(attachment.SourceUrl, UriKind.Absolute, out var url) || !IsSlackFileUrl(url))
        {
            throw new MediaException(NotOnSlack(attachment.Name));
        }

        var http = httpClients.CreateClient(HttpClientName);
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (IsSlackFileUrl(url))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.BotToken);
            }

            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                response.Dispose();
                url = new Uri(url, location);
                if (hop >= MaxRedirects || !SafeUrl.IsAllowed(url))
                {
                    throw new MediaException($"{attachment.Name} could not be fetched: Slack redirected the download too often or to an unsafe address.");
                }

                continue;
            }

            try
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new MediaException($"{attachment.Name} could not be fetched: Slack answered HTTP {(int)response.StatusCode}.");
                }

                var contentType = response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
                // Without files:read (or without the token) Slack answers 200 with its sign-in page instead of the file.
                if (contentType.Equals("text/html", StringComparison.OrdinalIgnoreCase)
                    && !attachment.MimeType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase))
                {
                    throw new MediaException(
                        $"{attachment.Name} could not be fetched: Slack answered with its sign-in page instead of the file. The Slack app needs the files:read scope (add it and reinstall the app).");
                }

                var content = await response.Content.ReadAsStreamAsync(cancellationToken);
                return new DownloadedFile(content, contentType, response.Content.Headers.ContentLength, response);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }
}
