using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Bridge.WhatsApp;

/// <summary>
/// Typed client for the TalkNTalk WhatsApp API (https://api.talkntalk.africa/). Timeout, rate limit, circuit
/// breaker and GET retries live in the HTTP pipeline (<see cref="WhatsAppServiceCollectionExtensions"/>); a failed
/// call is a <see cref="TalkNTalkException"/> that says whether the request may have been taken.
/// </summary>
internal sealed class TalkNTalkClient(HttpClient http, TalkNTalkRateLimit rateLimit, LookupCache lookups)
{
    private const int GroupPageSize = 100;
    private const int MaxGroupPages = 1000;

    public Task<PingResponse> PingAsync(CancellationToken cancellationToken) =>
        GetAsync("v1/", TalkNTalkJson.Default.PingResponse, cancellationToken);

    /// <summary>The organisation's phones, as answered within the last <see cref="LookupCache.Lifetime"/>.</summary>
    /// <remarks>
    /// One call serves everyone who asks meanwhile, so one caller's cancellation ends only its own wait.
    /// </remarks>
    public Task<IReadOnlyList<Phone>> ListPhonesAsync(CancellationToken cancellationToken) =>
        lookups.GetAsync<IReadOnlyList<Phone>>("phones", async () =>
            (await GetAsync("v1/whatsapp/phones/", TalkNTalkJson.Default.PhoneList, CancellationToken.None)).Phones ?? [], cancellationToken);

    /// <summary>Forgets the phones and groups read before: the next look-ups ask TalkNTalk.</summary>
    public void ForgetLookups() => lookups.Clear();

    /// <summary>
    /// The session id as a path segment. Callers check the form first; this refuses the rest before any request
    /// (escaping alone leaves <c>..</c>, which the URI then resolves away).
    /// </summary>
    private static string SessionSegment(string sessionId) =>
        SessionId.IsValid(sessionId)
            ? Uri.EscapeDataString(sessionId)
            : throw new ArgumentException($"A TalkNTalk session id has {SessionId.Form}.", nameof(sessionId));

    /// <summary>Every group of the session, following every page, as answered within the last <see cref="LookupCache.Lifetime"/>.</summary>
    public Task<IReadOnlyList<Group>> ListGroupsAsync(string sessionId, CancellationToken cancellationToken)
    {
        var sessionSegment = SessionSegment(sessionId);
        return lookups.GetAsync($"groups/{sessionId}", () => ListAllGroupsAsync(sessionSegment), cancellationToken);
    }

    private async Task<IReadOnlyList<Group>> ListAllGroupsAsync(string sessionSegment)
    {
        var cancellationToken = CancellationToken.None;
        var groups = new List<Group>();
        // Pages are requested by number rather than by following `next`, so the API key only ever goes to BaseUrl.
        for (var page = 1; page <= MaxGroupPages; page++)
        {
            var result = await GetAsync(
                $"v1/whatsapp/{sessionSegment}/groups/?page={page}&page_size={GroupPageSize}",
                TalkNTalkJson.Default.GroupPage,
                cancellationToken);
            groups.AddRange(result.Groups ?? []);
            if (result.Next is null || page >= result.TotalPages || result.Groups is not { Count: > 0 })
            {
                break;
            }
        }

        return groups;
    }

    /// <summary>
    /// Waits for a permit of Bridge's rate limit, calls <paramref name="leaving"/> once it is granted, then sends.
    /// <paramref name="stopWaiting"/> ends the wait for the permit, before anything left; <paramref name="abandon"/> ends
    /// the request after it left, when its outcome is unknown. Either ends the call with an <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<SendResult> SendGroupMessageAsync(string sessionId, GroupMessage message, Func<Task> leaving,
        CancellationToken stopWaiting, CancellationToken abandon)
    {
        using var permit = await rateLimit.SendPermitAsync(sessionId, stopWaiting);
        await leaving();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/whatsapp/{SessionSegment(sessionId)}/groups/send/")
        {
            Content = JsonContent.Create(message, TalkNTalkJson.Default.GroupMessage),
        };
        request.Options.Set(TalkNTalkRateLimit.GrantedPermit, permit);
        var result = await SendAsync(request, TalkNTalkJson.Default.SendResult, abandon);
        if (string.IsNullOrEmpty(result.MessageId))
        {
            // Taken, but without proof of what was sent: tell people rather than guess.
            throw new TalkNTalkException(TalkNTalkFailure.Unknown, null, "the send was answered without a message_id", null);
        }

        return result;
    }

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(request, type, cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (ClassifyTransportFailure(exception) is { } failure)
        {
            throw new TalkNTalkException(failure, null, DescribeTransportFailure(exception), null, exception);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                        ?? throw new JsonException("empty body");
                }
                catch (JsonException exception)
                {
                    var failure = request.Method == HttpMethod.Get ? TalkNTalkFailure.NotTaken : TalkNTalkFailure.Unknown;
                    throw new TalkNTalkException(failure, (int)response.StatusCode, "the answer was not the documented JSON", null, exception);
                }
            }

            var status = (int)response.StatusCode;
            throw new TalkNTalkException(
                IsNotTaken(response.StatusCode) ? TalkNTalkFailure.NotTaken : TalkNTalkFailure.Rejected,
                status,
                await ReadDetailAsync(response, cancellationToken),
                RetryAfter(response));
        }
    }

    /// <summary>Statuses that prove the provider did not act on the request.</summary>
    private static bool IsNotTaken(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout
        or HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError
        or HttpStatusCode.ServiceUnavailable
        or HttpStatusCode.GatewayTimeout;

    private static TalkNTalkFailure? ClassifyTransportFailure(Exception exception) => exception switch
    {
        BrokenCircuitException => TalkNTalkFailure.HeldBack,
        // No connection was made, so nothing was sent.
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError }
            => TalkNTalkFailure.NotTaken,
        HttpRequestException or TimeoutRejectedException or OperationCanceledException => TalkNTalkFailure.Unknown,
        _ => null,
    };

    private static string DescribeTransportFailure(Exception exception) => exception switch
    {
        BrokenCircuitException => "the circuit breaker is open after repeated failures",
        TimeoutRejectedException or OperationCanceledException => "no answer in time",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "could not connect",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "the host name could not be resolved",
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "the TLS connection failed",
        HttpRequestException => "the connection was lost",
        _ => exception.GetType().Name,
    };

    private static async Task<string?> ReadDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(body, TalkNTalkJson.Default.ErrorBody)?.Detail;
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body.Length == 0 ? null : body;
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };

    internal static void Configure(HttpClient http, WhatsAppOptions options)
    {
        http.BaseAddress = options.BaseUrl;
        // The resilience pipeline owns timeouts; a look-up may wait for the rate limiter first.
        http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        if (options.ApiKey is { Length: > 0 } key)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }
}
