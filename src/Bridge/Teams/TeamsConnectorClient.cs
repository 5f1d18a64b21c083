using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Microsoft.Extensions.Options;

namespace Bridge.Teams;

/// <summary>
/// Replies through the Bot Connector as its "Create a reply" documents
/// (https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-send-and-receive-messages):
/// <c>POST {serviceUrl}/v3/conversations/{conversationId}/activities/{replyToId}</c>. In a channel the reply lands in
/// the thread when the conversation id carries <c>;messageid=&lt;root&gt;</c>; replyToId alone does not thread in Teams.
/// 429 and 5xx are retried by the HTTP pipeline honouring Retry-After; what persists becomes a <see cref="ReplyException"/>.
/// </summary>
internal sealed class TeamsConnectorClient(IHttpClientFactory httpClients, TeamsTokenProvider tokens, TeamsServiceHosts serviceHosts, IOptions<TeamsOptions> options)
{
    public const string HttpClientName = "teams-connector";

    /// <param name="markdown">
    /// True only for Bridge's own fixed texts (the help), whose backticks mark commands. Everything else may quote
    /// group names, arguments or forwarded text, so it goes as plain text and shows exactly as written.
    /// </param>
    /// <param name="card">An Adaptive Card (a preview, an outcome's Send again) sent with the text, which stays for notifications and clients without cards.</param>
    /// <returns>The posted activity's id, when the Connector gives one: a card is updated by it later.</returns>
    public async Task<string?> PostAsync(ReplyTarget target, string text, CancellationToken cancellationToken, bool markdown = false, JsonObject? card = null)
    {
        // Rows stored before replies named their message reply to the thread's root, or post to the chat.
        var replyToId = target.ReplyToId ?? target.ThreadId;
        using var response = await SendAsync(HttpMethod.Post, target, replyToId, Activity(target, text, markdown, replyToId, card), cancellationToken);
        try
        {
            return (await response.Content.ReadFromJsonAsync(TeamsJson.Default.TeamsResourceResponse, cancellationToken))?.Id;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Posted all the same (a retry would post twice): only its later update is lost.
            return null;
        }
    }

    /// <summary>
    /// Replaces a posted activity (a card redrawn once decided, for everyone in the conversation) as "Update an
    /// activity" documents: <c>PUT {serviceUrl}/v3/conversations/{conversationId}/activities/{activityId}</c>
    /// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages).
    /// </summary>
    public async Task UpdateAsync(ReplyTarget target, string activityId, string text, JsonObject card, CancellationToken cancellationToken)
    {
        var activity = Activity(target, text, markdown: false, replyToId: null, card) with { Id = activityId };
        using var response = await SendAsync(HttpMethod.Put, target, activityId, activity, cancellationToken);
    }

    private TeamsOutgoingActivity Activity(ReplyTarget target, string text, bool markdown, string? replyToId, JsonObject? card) => new(
        "message",
        text,
        markdown ? "markdown" : "plain",
        replyToId,
        new TeamsAccount(target.BotId ?? "28:" + options.Value.AppId, target.BotName),
        target.RecipientId is null ? null : new TeamsAccount(target.RecipientId, target.RecipientName),
        new TeamsConversationRef(Conversation(target)),
        card is null ? null : [new TeamsCardAttachment(TeamsCardAttachment.AdaptiveCard, card)]);

    /// <summary>In a channel, the thread's conversation: its id carries <c>;messageid=&lt;root&gt;</c>.</summary>
    private static string Conversation(ReplyTarget target) =>
        target.ThreadId is null ? target.ConversationId : $"{target.ConversationId};messageid={target.ThreadId}";

    /// <summary>Sends the activity to <c>activities/{activityId}</c> of the target's conversation; returns the answer when it succeeded.</summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, ReplyTarget target, string? activityId, TeamsOutgoingActivity activity, CancellationToken cancellationToken)
    {
        // The activity's serviceUrl was checked when it came in; a row stored before the allow-list is checked here.
        if (!serviceHosts.IsAllowed(target.ServiceUrl))
        {
            throw new ReplyException("The Teams conversation's serviceUrl is not a Bot Connector host, so Bridge does not send its token there.");
        }

        var path = $"v3/conversations/{Uri.EscapeDataString(Conversation(target))}/activities" + (activityId is null ? "" : "/" + Uri.EscapeDataString(activityId));
        var url = new Uri($"{target.ServiceUrl!.TrimEnd('/')}/{path}");
        var token = await tokens.GetTokenAsync(cancellationToken);
        using var request = new HttpRequestMessage(method, url)
        {
            Content = JsonContent.Create(activity, TeamsJson.Default.TeamsOutgoingActivity),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
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
}
