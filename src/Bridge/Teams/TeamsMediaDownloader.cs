using System.Net.Http.Headers;
using Bridge.Forwarding;
using Bridge.Http;
using Bridge.Media;

namespace Bridge.Teams;

/// <summary>
/// Fetches Teams attachments (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4): inline images from the Bot Connector with the bot token, and files
/// through their pre-authenticated <c>downloadUrl</c> without any token. The token goes only to the Bot Connector's
/// hosts (<see cref="TeamsServiceHosts"/>; .NET drops the Authorization header when it follows a redirect).
/// File links are fetched only from <see cref="TeamsFileHosts"/>, redirects followed by hand and each checked again.
/// </summary>
internal sealed class TeamsMediaDownloader(
    IHttpClientFactory httpClients, TeamsTokenProvider tokens, TeamsServiceHosts serviceHosts, TeamsFileHosts fileHosts) : IMediaDownloader
{
    public const string HttpClientName = "teams-media";
    public const string FilesHttpClientName = "teams-files";
    private const int MaxRedirects = 3;

    public Platform Platform => Platform.Teams;

    public async Task<DownloadedFile> OpenAsync(Forward forward, Attachment attachment, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrEmpty(attachment.Name) ? "the file" : attachment.Name;
        if (!Uri.TryCreate(attachment.SourceUrl, UriKind.Absolute, out var url) || !SafeUrl.IsAllowed(url))
        {
            throw new MediaException($"Teams gave no usable address for {name}.");
        }

        // Where it is decides how it is fetched: a file's pre-authenticated downloadUrl on a file host gets no token at
        // all; the Bot Connector's hosts serve pasted images and are the only ones the bot token may go to. A host on
        // both lists (loopback in tests) gets no token.
        var fromBotConnector = !fileHosts.IsAllowed(url) && serviceHosts.IsAllowed(url);
        var response = fromBotConnector
            ? await OpenWithBotTokenAsync(url, name, cancellationToken)
            : await OpenFileAsync(url, name, cancellationToken);

        var contentType = response.Content.Headers.ContentType?.MediaType ?? "";
        var problem = !response.IsSuccessStatusCode
            ? $"Teams answered HTTP {(int)response.StatusCode} for {name}" + (fromBotConnector ? "." : " (its download link lasts only a few minutes).")
            : contentType.Equals("text/html", StringComparison.OrdinalIgnoreCase) || (fromBotConnector && !contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
                ? $"Teams answered with a {(contentType.Length == 0 ? "response" : contentType)} instead of {name}."
                : null;
        if (problem is not null)
        {
            response.Dispose();
            throw new MediaException(problem);
        }

        // An unknown type (a pasted image's) is the one fetched; file hosts often answer application/octet-stream,
        // where the type from the file name says more.
        var type = attachment.MimeType.Length == 0 || (contentType.Length > 0 && contentType != "application/octet-stream") ? contentType : attachment.MimeType;
        return new DownloadedFile(await response.Content.ReadAsStreamAsync(cancellationToken), type, response.Content.Headers.ContentLength, response);
    }

    private async Task<HttpResponseMessage> OpenWithBotTokenAsync(Uri url, string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        try
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        }
        catch (ReplyException exception)
        {
            throw new MediaException($"Bridge could not get a Teams token to fetch {name}.", exception);
        }

        return await SendAsync(httpClients.CreateClient(HttpClientName), request, name, cancellationToken);
    }

    private async Task<HttpResponseMessage> OpenFileAsync(Uri url, string name, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(FilesHttpClientName);
        for (var hop = 0; ; hop++)
        {
            if (!fileHosts.IsAllowed(url))
            {
                throw new MediaException(hop == 0
                    ? $"{name} was not forwarded: it is not hosted by the Bot Connector, SharePoint or OneDrive, so Bridge does not fetch it."
                    : $"{name} was not forwarded: its download link redirected away from SharePoint and OneDrive, so Bridge did not follow it.");
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            var response = await SendAsync(http, request, name, cancellationToken);
            if ((int)response.StatusCode is not (>= 300 and < 400) || response.Headers.Location is not { } location)
            {
                return response;
            }

            response.Dispose();
            if (hop >= MaxRedirects)
            {
                throw new MediaException($"{name} could not be fetched: its download link redirected more than {MaxRedirects} times.");
            }

            url = new Uri(url, location);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException exception) when (exception.GetBaseException() is NonPublicAddressException)
        {
            throw new MediaException($"{name} was not forwarded: its download link points into a private network, so Bridge did not fetch it.", exception);
        }
        catch (HttpRequestException exception)
        {
            throw new MediaException($"Teams could not be reached to fetch {name}.", exception);
        }
    }
}
