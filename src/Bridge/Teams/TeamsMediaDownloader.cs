using System.Net.Http.Headers;
using Bridge.Forwarding;
using Bridge.Hosting;
using Bridge.Media;
using Bridge.Storage;

namespace Bridge.Teams;

/// <summary>
/// Fetches Teams attachments (PROTOCOLS.md B5): inline images from the Bot Connector with the bot token, and files
/// through their pre-authenticated <c>downloadUrl</c> without any token. The token goes only to the Bot Connector's
/// hosts (<see cref="TeamsServiceHosts"/>; .NET drops the Authorization header when it follows a redirect).
/// </summary>
internal sealed class TeamsMediaDownloader(IHttpClientFactory httpClients, TeamsTokenProvider tokens, TeamsServiceHosts serviceHosts) : IMediaDownloader
{
    public const string HttpClientName = "teams-media";

    public Platform Platform => Platform.Teams;

    public async Task<DownloadedFile> OpenAsync(Forward forward, Attachment attachment, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrEmpty(attachment.Name) ? "the file" : attachment.Name;
        if (!Uri.TryCreate(attachment.SourceUrl, UriKind.Absolute, out var url) || !SafeUrl.IsAllowed(url))
        {
            throw new MediaException($"Teams gave no usable address for {name}.");
        }

        // Inline images (MIME type "image/*", as Teams sends them) come from the Bot Connector with the bot token;
        // files come from their pre-authenticated downloadUrl with no token at all.
        var inlineImage = attachment.MimeType == TeamsForwardBuilder.InlineImageType;
        var withToken = inlineImage && serviceHosts.IsAllowed(url);
        if (inlineImage && !withToken)
        {
            throw new MediaException($"{name} is not hosted by the Bot Connector, so Bridge does not fetch it.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (withToken)
        {
            try
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
            }
            catch (Delivery.ReplyException exception)
            {
                throw new MediaException($"Bridge could not get a Teams token to fetch {name}.", exception);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new MediaException($"Teams could not be reached to fetch {name}.", exception);
        }

        var contentType = response.Content.Headers.ContentType?.MediaType ?? "";
        var problem = !response.IsSuccessStatusCode
            ? $"Teams answered HTTP {(int)response.StatusCode} for {name}" + (attachment.MimeType == TeamsForwardBuilder.InlineImageType ? "." : " (its download link lasts only a few minutes).")
            : contentType.Equals("text/html", StringComparison.OrdinalIgnoreCase) || (inlineImage && !contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
                ? $"Teams answered with a {(contentType.Length == 0 ? "response" : contentType)} instead of {name}."
                : null;
        if (problem is not null)
        {
            response.Dispose();
            throw new MediaException(problem);
        }

        // File hosts often answer application/octet-stream; the type from the file name says more.
        var type = inlineImage || (contentType.Length > 0 && contentType != "application/octet-stream") ? contentType : attachment.MimeType;
        return new DownloadedFile(await response.Content.ReadAsStreamAsync(cancellationToken), type, response.Content.Headers.ContentLength, response);
    }
}
