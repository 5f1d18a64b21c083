using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Bridge.Http;

internal static class WholeResponseTimeout
{
    /// <summary>
    /// The client's resilience pipeline, with <see cref="WholeResponseHandler"/> inside it: each try's timeout covers
    /// the answer's headers and body together, and a body that stalls fails the try like an answer that never came.
    /// </summary>
    public static IHttpClientBuilder AddResilienceHandlerOverWholeResponse(
        this IHttpClientBuilder client, string pipelineName, Action<ResiliencePipelineBuilder<HttpResponseMessage>> configure)
    {
        client.AddResilienceHandler(pipelineName, configure);
        // Handlers run in the order they are added: this one sits between the pipeline and the network.
        return client.AddHttpMessageHandler(() => new WholeResponseHandler());
    }
}
