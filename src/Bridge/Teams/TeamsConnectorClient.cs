using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Bridge.Delivery;
using Bridge.Hosting;
using Bridge.Storage;

namespace Bridge.Teams;

/// <summary>
/// Posts messages through the Bot Connector (PROTOCOLS.md B4). In a channel the message lands in a thread when the
/// conversation id carries <c>;messageid=&lt;root&gt;</c>; replyToId alone does not thread in Teams.
/// 429 and 5xx are retried by the HTTP pipeline honouring Retry-After; what persists becomes a <see cref="ReplyException"/>.
/// </summary>
internal sealed class TeamsConnectorClient(IHttpClientFactory httpClients, TeamsTokenProvider tokens)
{
    public const string HttpClientName = "teams-connector";

    public async Task PostAsync(ReplyTarget target, string text, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(target.ServiceUrl, UriKind.Absolute, out var serviceUrl) || !SafeUrl.IsAllowed(serviceUrl))
        {
            throw new ReplyException("The Teams conversation has no usable serviceUrl.");
        }

        var conversation = target.ThreadId is null ? target.ConversationId : $"{target.ConversationId};messageid={target.ThreadId}";
        var url = new Uri($"{serviceUrl.ToString().TrimEnd('/')}/v3/conversations/{Uri.EscapeDataString(conversation)}/activities");
        var activity = new TeamsOutgoingActivity(
            "message",
            text,
            "plain",
            target.ThreadId,
            target.BotId is null ? null : new TeamsAccount(target.BotId, null),
            new TeamsConversationRef(conversation));

        var token = await tokens.GetTokenAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(activity, TeamsJson.Default.TeamsOutgoingActivity),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            tokens.Invalidate(token);
        }

        var operation = response.Headers.TryGetValues("X-Correlating-OperationId", out var values) ? $" (operation {values.First()})" : "";
        throw new ReplyException(
            $"The Teams Bot Connector answered HTTP {(int)response.StatusCode}{operation}.",
            response.StatusCode == HttpStatusCode.TooManyRequests ? response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1) : response.Headers.RetryAfter?.Delta);
    }
}
