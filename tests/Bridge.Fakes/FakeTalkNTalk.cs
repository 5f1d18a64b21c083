using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Bridge.Fakes;

/// <summary>
/// A fake of the TalkNTalk WhatsApp API (ping, List Phones, List Groups, Send Group Message) that records what it
/// receives. Behaviour can be scripted per send: a status, a delay, a dropped connection.
/// </summary>
public sealed class FakeTalkNTalk : IAsyncDisposable
{
    public const string DefaultApiKey = "tk_test_fake_key_0123456789";
    public const string DefaultSessionId = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

    private readonly LoopbackServer _server;
    private readonly ConcurrentQueue<ReceivedSend> _sends = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, string Method, string Path)> _requests = new();
    private readonly ConditionWaiters _waiters = new();
    private int _messageCounter;

    private FakeTalkNTalk(LoopbackServer server, string apiKey)
    {
        _server = server;
        ApiKey = apiKey;
    }

    public Uri BaseUrl => _server.BaseUrl;
    public string ApiKey { get; }

    public List<FakePhone> Phones { get; } = [new(DefaultSessionId, "Ops phone", "open", "+27000000000")];
    public ConcurrentDictionary<string, List<FakeGroup>> Groups { get; } = new()
    {
        [DefaultSessionId] =
        [
            new("120363410923125768@g.us", "Field Team"),
            new("120363410923125769@g.us", "Drivers"),
            new("120363410923125770@g.us", "Support Desk"),
        ],
    };

    /// <summary>Decides the answer to each send; null answers 201. Called before <see cref="SendDelay"/>.</summary>
    public Func<ReceivedSend, FakeAnswer?>? SendBehavior { get; set; }
    public TimeSpan SendDelay { get; set; }
    /// <summary>How long ping, List Phones and List Groups take to answer.</summary>
    public TimeSpan ReadDelay { get; set; }
    /// <summary>Awaited before ping, List Phones and List Groups answer: a test holds a read while it moves a fake clock.</summary>
    public Func<Task>? BeforeRead { get; set; }
    /// <summary>Awaited before a send is answered: a test holds a send while it checks what Bridge does meanwhile.</summary>
    public Func<Task>? BeforeSend { get; set; }
    /// <summary>When set, the fake enforces this many requests per sliding minute, answering 429 beyond it.</summary>
    public int? RateLimitPerMinute { get; set; }
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The clock of the sliding-window 429 check, the delays and the recorded times. A test shares Bridge's fake clock
    /// with it, so that the fake's minute is Bridge's minute; the runnable fake and the bench keep the system clock.
    /// </summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public IReadOnlyList<ReceivedSend> Sends => _sends.ToArray();
    public IReadOnlyList<(DateTimeOffset At, string Method, string Path)> Requests => _requests.ToArray();
    public int RateLimited;

    public static async Task<FakeTalkNTalk> StartAsync(string apiKey = DefaultApiKey, int port = 0)
    {
        FakeTalkNTalk? fake = null;
        var server = await LoopbackServer.StartAsync(app => Map(app, () => fake!), port);
        fake = new FakeTalkNTalk(server, apiKey);
        return fake;
    }

    /// <summary>Completes when at least <paramref name="count"/> sends were answered 201.</summary>
    public Task WaitForSendsAsync(int count, TimeSpan? timeout = null) =>
        _waiters.WaitAsync(() => _sends.Count(s => s.Answer == 201) >= count, timeout);

    /// <summary>Completes when the requests received (answered or not yet) satisfy the condition.</summary>
    public Task WaitForRequestsAsync(Func<IReadOnlyList<(DateTimeOffset At, string Method, string Path)>, bool> condition, TimeSpan? timeout = null) =>
        _waiters.WaitAsync(() => condition(Requests), timeout);

    private static void Map(WebApplication app, Func<FakeTalkNTalk> fake)
    {
        app.Use(async (context, next) =>
        {
            var self = fake();
            self._requests.Enqueue((self.Time.GetUtcNow(), context.Request.Method, context.Request.Path + context.Request.QueryString));
            self._waiters.Changed();
            if (context.Request.Headers.Authorization != "Bearer " + self.ApiKey)
            {
                await Error(context, 401, "Invalid API key.");
                return;
            }

            if (context.Request.Method == "GET" && self.ReadDelay > TimeSpan.Zero)
            {
                await Task.Delay(self.ReadDelay, self.Time);
            }

            if (context.Request.Method == "GET" && self.BeforeRead is { } beforeRead)
            {
                await beforeRead();
            }

            if (self.IsRateLimited())
            {
                Interlocked.Increment(ref self.RateLimited);
                context.Response.Headers.RetryAfter = "1";
                await Error(context, 429, "Rate limit exceeded.");
                return;
            }

            await next(context);
        });

        app.MapGet("/v1/", () => Results.Json(new { api = "TalkNTalk", version = "v1", organisation = new { id = "org_1", name = "Acme", slug = "acme" } }));
        app.MapGet("/v1/whatsapp/phones/", () => Results.Json(new
        {
            phones = fake().Phones.Select(p => new { chat_id = p.ChatId, name = p.Name, status = p.Status, phone_number = p.PhoneNumber }),
        }));
        app.MapGet("/v1/whatsapp/{session}/groups/", (HttpContext context, string session, int? page, int? page_size) =>
        {
            if (!fake().Groups.TryGetValue(session, out var groups))
            {
                return Error(context, 404, "Session not found in your organisation.");
            }

            var size = Math.Clamp(page_size ?? 20, 1, 100);
            var number = Math.Max(page ?? 1, 1);
            var pages = Math.Max(1, (groups.Count + size - 1) / size);
            var url = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}";
            return context.Response.WriteAsJsonAsync(new
            {
                total = groups.Count,
                page = number,
                page_size = size,
                total_pages = pages,
                next = number < pages ? $"{url}?page={number + 1}&page_size={size}" : null,
                previous = number > 1 ? $"{url}?page={number - 1}&page_size={size}" : null,
                groups = groups.Skip((number - 1) * size).Take(size).Select(g => new
                {
                    chat_id = g.ChatId, name = g.Name, description = "", participant_count = g.ParticipantCount, is_admin = true,
                }),
            });
        });
        app.MapPost("/v1/whatsapp/{session}/groups/send/", (HttpContext context, string session) => fake().SendAsync(context, session));
    }

    private async Task SendAsync(HttpContext context, string session)
    {
        JsonObject? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body);
        }
        catch (JsonException)
        {
            await Error(context, 400, "Body is not JSON.");
            return;
        }

        var send = new ReceivedSend(
            Time.GetUtcNow(),
            session,
            (string?)body?["to"],
            (string?)body?["type"],
            (string?)body?["message"],
            (string?)body?["url"],
            (string?)body?["mime_type"]);

        var answer = SendBehavior?.Invoke(send);
        if (SendDelay > TimeSpan.Zero)
        {
            await Task.Delay(SendDelay, Time);
        }

        if (BeforeSend is { } beforeSend)
        {
            await beforeSend();
        }

        if (answer is { DropConnection: true })
        {
            Record(send with { Answer = -1 });
            context.Features.Get<IConnectionLifetimeFeature>()?.Abort();
            context.Abort();
            return;
        }

        if (answer?.Delay is { } delay)
        {
            await Task.Delay(delay, Time);
        }

        if (answer is { Status: not 201 })
        {
            Record(send with { Answer = answer.Status });
            if (answer.RetryAfterSeconds is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter.ToString();
            }

            await Error(context, answer.Status, answer.Detail ?? "Scripted failure.");
            return;
        }

        string? problem = null;
        if (!Groups.ContainsKey(session))
        {
            await Error(context, 404, "Session not found in your organisation.");
            return;
        }

        if (send.To is null || !send.To.EndsWith("@g.us", StringComparison.Ordinal))
        {
            problem = "to must be a group chat_id ending in @g.us.";
        }
        else if (send.Type is not ("text" or "image" or "video" or "voice"))
        {
            problem = "Unsupported type.";
        }
        else if (send.Type == "text" ? string.IsNullOrEmpty(send.Message) : string.IsNullOrEmpty(send.Url))
        {
            problem = send.Type == "text" ? "message is required for text." : "url is required for media.";
        }

        if (problem is not null)
        {
            Record(send with { Answer = 400 });
            await Error(context, 400, problem);
            return;
        }

        var messageId = $"3EB0{Interlocked.Increment(ref _messageCounter):X16}";
        Record(send with { Answer = 201, MessageId = messageId });
        context.Response.StatusCode = 201;
        if (answer?.BodyReleased is { } released)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.StartAsync();
            await context.Response.Body.FlushAsync();
            try
            {
                await released.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up on the body
            }
        }

        await context.Response.WriteAsJsonAsync(new { success = true, message_id = messageId, status = "sent", to = send.To, type = send.Type });
    }

    private void Record(ReceivedSend send)
    {
        _sends.Enqueue(send);
        _waiters.Changed();
    }

    private bool IsRateLimited()
    {
        if (RateLimitPerMinute is not { } limit)
        {
            return false;
        }

        var since = Time.GetUtcNow() - RateLimitWindow;
        // The request being handled is already recorded.
        return _requests.Count(r => r.At > since) > limit;
    }

    private static Task Error(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { detail });
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
