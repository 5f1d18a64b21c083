namespace Bridge.Http;

/// <summary>
/// Reads a response's body into memory before the response leaves the handler chain, so a timeout strategy outside
/// this handler bounds the headers and the body together. Without it, Polly's timeout ends once the headers arrive,
/// and a peer that then stalls its body holds the call until HttpClient's own 100 s timeout, or for good when the
/// caller reads with ResponseHeadersRead. Only for small API answers: streamed downloads have their own deadline.
/// </summary>
internal sealed class WholeResponseHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
