using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bridge.Fakes;
using Bridge.WhatsApp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.UnitTests.Infrastructure;

/// <summary>
/// TalkNTalk as an <see cref="HttpMessageHandler"/> under the real <see cref="TalkNTalkClient"/>, answering canned JSON
/// in the documented shapes (https://api.talkntalk.africa/docs): no server, no network. Sends are answered 201 with a
/// new message_id unless an answer was queued; every send body is recorded. Sends may come from parallel lanes.
/// </summary>
internal sealed class StubTalkNTalk : HttpMessageHandler
{
    private readonly Lock _lock = new();
    private readonly Queue<Func<HttpResponseMessage>> _sendAnswers = new();
    private readonly List<GroupMessage> _sent = [];
    private readonly Dictionary<string, TaskCompletionSource> _held = [];
    private readonly ConditionWaiters _waiters = new();

    public List<Group> Groups { get; } = [];
    public List<Phone> Phones { get; } = [];

    /// <summary>The send bodies received so far, in arrival order.</summary>
    public IReadOnlyList<GroupMessage> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }
    /// <summary>When set, every lookup (groups, phones) is answered with this status.</summary>
    public HttpStatusCode? LookupStatus { get; set; }

    /// <summary>The real client on this stub, with a rate limit far above what a test sends.</summary>
    public TalkNTalkClient Client()
    {
        var rateLimit = new TalkNTalkRateLimit(
            Options.Create(new WhatsAppOptions { RateLimitPermits = 100_000 }), new InMemoryPermitLog(), TimeProvider.System, NullLogger<TalkNTalkRateLimit>.Instance);
        return new(new HttpClient(this) { BaseAddress = new Uri("http://talkntalk.test/") }, rateLimit, new LookupCache(TimeProvider.System));
    }

    public static Group Group(string chatId, string name) => new(chatId, name, "", 3, true);

    /// <summary>The next send is answered with <paramref name="status"/> and a <c>detail</c>, with Retry-After when given.</summary>
    public void AnswerNextSend(HttpStatusCode status, string detail, TimeSpan? retryAfter = null) => _sendAnswers.Enqueue(() =>
    {
        var response = Json(status, new { detail });
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delay);
        }

        return response;
    });

    /// <summary>The next send is answered 201 without a message_id: taken, without proof of what was sent.</summary>
    public void AnswerNextSendWithoutMessageId() =>
        _sendAnswers.Enqueue(() => Json(HttpStatusCode.Created, new { success = true, status = "sent" }));

    /// <summary>The next send fails in the HTTP pipeline with <paramref name="exception"/>, as a handler or Polly would throw it.</summary>
    public void FailNextSend(Exception exception) => _sendAnswers.Enqueue(() => throw exception);

    /// <summary>Sends to <paramref name="groupId"/> are recorded but not answered until the returned source completes.</summary>
    public TaskCompletionSource HoldSendsTo(string groupId)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _held[groupId] = gate;
        }

        return gate;
    }

    public Task WaitForSendsAsync(int count) => _waiters.WaitAsync(() => Sent.Count >= count);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Post && path.EndsWith("/groups/send/", StringComparison.Ordinal))
        {
            var message = (await request.Content!.ReadFromJsonAsync(TalkNTalkJson.Default.GroupMessage, cancellationToken))!;
            Func<HttpResponseMessage>? answer;
            TaskCompletionSource? gate;
            int number;
            lock (_lock)
            {
                _sent.Add(message);
                number = _sent.Count;
                _sendAnswers.TryDequeue(out answer);
                _held.TryGetValue(message.To, out gate);
            }

            _waiters.Changed();
            if (gate is not null)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            return answer is not null
                ? answer()
                : Json(HttpStatusCode.Created, new { success = true, message_id = $"msg-{number}", status = "sent", to = message.To, type = message.Type });
        }

        if (LookupStatus is { } status)
        {
            return Json(status, new { detail = "stubbed failure" });
        }

        if (path.EndsWith("/phones/", StringComparison.Ordinal))
        {
            return Json(HttpStatusCode.OK, new { phones = Phones.Select(p => new { chat_id = p.ChatId, name = p.Name, status = p.Status, phone_number = p.PhoneNumber }) });
        }

        if (path.EndsWith("/groups/", StringComparison.Ordinal))
        {
            // One page holds every group: paging is the client's business, tested against the fake TalkNTalk.
            return Json(HttpStatusCode.OK, new
            {
                total = Groups.Count, page = 1, page_size = 100, total_pages = 1, next = (string?)null, previous = (string?)null,
                groups = Groups.Select(g => new { chat_id = g.ChatId, name = g.Name, description = g.Description, participant_count = g.ParticipantCount, is_admin = g.IsAdmin }),
            });
        }

        return Json(HttpStatusCode.NotFound, new { detail = "not stubbed: " + path });
    }

    private static HttpResponseMessage Json(HttpStatusCode status, object body) =>
        new(status) { Content = new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json") };
}
