using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.FakeTalkNTalk;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bridge.Bench.Hosting;

/// <summary>
/// The smallest Slack Web API Bridge needs during the bench: chat.postMessage answers ok with a fresh ts, and
/// response_url posts are accepted. Thread replies are recorded with the time they arrived. Files added with
/// <see cref="AddFile"/> are served under the same host as the API (the only host besides files.slack.com that Bridge
/// sends its token to), to the bot token only, as Slack does.
/// </summary>
internal sealed class BenchSlack : IAsyncDisposable
{
    public const string BotToken = "xoxb-bench-0000-token";

    private readonly ConcurrentQueue<ThreadReply> _replies = new();
    private readonly ConcurrentDictionary<string, (byte[] Content, string ContentType)> _files = new();
    private readonly ConcurrentQueue<FileServed> _served = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private readonly Lock _lock = new();
    private LoopbackServer _server = null!;
    private long _ts = 1767225700;

    public Uri ApiBaseUrl => new(_server.BaseUrl, "api/");
    public string ResponseUrl => new Uri(_server.BaseUrl, "response/bench").ToString();
    public IReadOnlyList<ThreadReply> Replies => _replies.ToArray();
    /// <summary>File downloads completed, with the bot token, in the order they finished.</summary>
    public IReadOnlyList<FileServed> Served => _served.ToArray();

    /// <summary>Serves <paramref name="content"/> as a Slack file; returns its <c>url_private_download</c>.</summary>
    public string AddFile(string name, byte[] content, string contentType)
    {
        var id = "F" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        _files[id] = (content, contentType);
        return new Uri(_server.BaseUrl, $"files-pri/{id}/download/{Uri.EscapeDataString(name)}").ToString();
    }

    public static async Task<BenchSlack> StartAsync()
    {
        var slack = new BenchSlack();
        slack._server = await LoopbackServer.StartAsync(slack.Map);
        return slack;
    }

    /// <summary>Completes when at least <paramref name="count"/> thread replies arrived.</summary>
    public Task WaitForRepliesAsync(int count, TimeSpan timeout)
    {
        lock (_lock)
        {
            if (_replies.Count >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task.WaitAsync(timeout);
        }
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/api/chat.postMessage", async (HttpContext context) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body);
            var ts = $"{Interlocked.Increment(ref _ts)}.000100";
            if ((string?)body?["thread_ts"] is not null)
            {
                lock (_lock)
                {
                    _replies.Enqueue(new ThreadReply(Stopwatch.GetTimestamp(), (string?)body!["text"] ?? ""));
                    foreach (var waiter in _waiters.Where(w => w.Count <= _replies.Count).ToList())
                    {
                        waiter.Done.TrySetResult();
                        _waiters.Remove(waiter);
                    }
                }
            }

            return Results.Json(new { ok = true, channel = (string?)body?["channel"], ts });
        });
        app.MapPost("/api/{method}", () => Results.Json(new { ok = false, error = "unknown_method" }));
        app.MapPost("/response/{id}", () => Results.Ok());
        app.MapGet("/files-pri/{id}/download/{name}", async (HttpContext context, string id) =>
        {
            if (!_files.TryGetValue(id, out var file))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            // Without the token Slack answers its sign-in page with a 200, which Bridge must refuse as a file.
            if (context.Request.Headers.Authorization != "Bearer " + BotToken)
            {
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html>sign in</html>");
                return;
            }

            var started = Stopwatch.GetTimestamp();
            context.Response.ContentType = file.ContentType;
            context.Response.ContentLength = file.Content.Length;
            await context.Response.Body.WriteAsync(file.Content);
            _served.Enqueue(new FileServed(id, started, Stopwatch.GetTimestamp()));
        });
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
