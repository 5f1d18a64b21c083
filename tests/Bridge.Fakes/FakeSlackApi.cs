using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bridge.Fakes;

/// <summary>
/// A fake Slack Web API (chat.postMessage, chat.update, chat.postEphemeral, conversations.open, users.info, files.info, auth.test), response_url endpoint and file host
/// (url_private_download) on 127.0.0.1. Like Slack, it answers a file request without the bot token with a sign-in page.
/// </summary>
public sealed class FakeSlackApi : IAsyncDisposable
{
    public const string BotToken = "xoxb-test-0000-bot-token";

    private readonly ConcurrentQueue<SlackPost> _posts = new();
    private readonly ConcurrentQueue<ResponseUrlPost> _responses = new();
    private readonly ConcurrentQueue<SlackEphemeral> _ephemerals = new();
    private readonly ConcurrentQueue<SlackPost> _refused = new();
    private readonly ConcurrentQueue<SlackPost> _updates = new();
    private readonly ConcurrentQueue<SlackPost> _postCalls = new();
    private readonly ConcurrentQueue<(string Method, string? Authorization)> _calls = new();
    private readonly ConcurrentQueue<FileRequest> _fileRequests = new();
    private readonly ConditionWaiters _waiters = new();
    private LoopbackServer _server = null!;
    private long _ts = 1767225700;

    public Uri ApiBaseUrl => new(_server.BaseUrl, "api/");
    public Uri BaseUrl => _server.BaseUrl;
    public string ResponseUrl(string id = "r1") => new Uri(_server.BaseUrl, $"response/{id}").ToString();

    public ConcurrentDictionary<string, JsonObject> Users { get; } = new();
    /// <summary>conversations.info answers: channel id to name; any other channel is <c>channel_not_found</c>.</summary>
    public ConcurrentDictionary<string, string> Channels { get; } = new();
    /// <summary>File objects files.info answers with, by id (Slack Connect files arrive in events as an id only).</summary>
    public ConcurrentDictionary<string, JsonObject> FileInfos { get; } = new();
    /// <summary>Files served under <see cref="FileUrl"/>, by name.</summary>
    public ConcurrentDictionary<string, FakeSlackFile> Files { get; } = new();
    public IReadOnlyList<FileRequest> FileRequests => _fileRequests.ToArray();
    public string FileUrl(string name) => new Uri(_server.BaseUrl, $"files-pri/T08ABCD1234-F0000000001/download/{name}").ToString();

    /// <summary>Serves a file and returns its url_private_download.</summary>
    public string AddFile(string name, byte[] content, string contentType)
    {
        Files[name] = new FakeSlackFile(content, contentType);
        return FileUrl(name);
    }
    /// <summary>Scripted answer for chat.postMessage; null answers ok.</summary>
    public Func<SlackPost, (int Status, string? Error, int? RetryAfter)?>? PostBehavior { get; set; }

    /// <summary>Scripted <c>ok:false</c> answers by method, checked before anything else the method does.</summary>
    public ConcurrentDictionary<string, SlackError> MethodErrors { get; } = new();

    /// <summary>Awaited with the method's name before any Web API call is answered: a Slack that is slow to answer it.</summary>
    public Func<string, Task>? BeforeCall { get; set; }

    /// <summary>Awaited before a chat.postMessage is taken: a slow Slack that still posts after the caller gave up.</summary>
    public Func<SlackPost, Task>? BeforePost { get; set; }

    /// <summary>
    /// Picks the chat.postMessage calls whose answer stalls after its headers: Slack takes the post (it is recorded), then
    /// holds the body of its <c>ok</c> answer until the returned stall is released. Null, or a null stall, answers at once.
    /// </summary>
    public Func<SlackPost, StalledBody?>? StallPost { get; set; }

    /// <summary>Called with the file's path once its whole content was sent to the bot token (the bench times downloads with it).</summary>
    public Action<string>? FileSent { get; set; }

    /// <summary>Status the response_url endpoint answers with (Slack answers 404 for an expired or used-up URL); null answers 200.</summary>
    public int? ResponseUrlStatus { get; set; }

    public IReadOnlyList<SlackPost> Posts => _posts.ToArray();
    public IReadOnlyList<SlackEphemeral> Ephemerals => _ephemerals.ToArray();
    /// <summary>chat.update calls: the channel, the new text, the updated message's ts and its new blocks.</summary>
    public IReadOnlyList<SlackPost> Updates => _updates.ToArray();
    public IReadOnlyList<ResponseUrlPost> Responses => _responses.ToArray();
    /// <summary>Every chat.postMessage call, in order, whatever it was answered (refused, timed out or posted).</summary>
    public IReadOnlyList<SlackPost> PostCalls => _postCalls.ToArray();
    /// <summary>chat.postMessage calls that <see cref="PostBehavior"/> refused.</summary>
    public IReadOnlyList<SlackPost> Refused => _refused.ToArray();
    public IReadOnlyList<(string Method, string? Authorization)> Calls => _calls.ToArray();

    public static async Task<FakeSlackApi> StartAsync()
    {
        var fake = new FakeSlackApi();
        fake._server = await LoopbackServer.StartAsync(fake.Map);
        return fake;
    }

    public void AddUser(string id, string displayName, bool isAdmin = false) =>
        Users[id] = new JsonObject
        {
            ["id"] = id,
            ["name"] = displayName.ToLowerInvariant().Replace(' ', '.'),
            ["is_admin"] = isAdmin,
            ["is_owner"] = false,
            ["is_primary_owner"] = false,
            ["profile"] = new JsonObject { ["display_name"] = displayName, ["real_name"] = displayName },
        };

    /// <summary>Completes when the posts recorded satisfy the condition.</summary>
    public Task WaitForPostsAsync(Func<IReadOnlyList<SlackPost>, bool> condition, TimeSpan? timeout = null) =>
        WaitAsync(() => condition(Posts), timeout);

    public Task WaitForPostCallsAsync(Func<IReadOnlyList<SlackPost>, bool> condition, TimeSpan? timeout = null) =>
        WaitAsync(() => condition(PostCalls), timeout);

    public Task WaitForRefusedAsync(Func<IReadOnlyList<SlackPost>, bool> condition, TimeSpan? timeout = null) =>
        WaitAsync(() => condition(Refused), timeout);

    public Task WaitForResponsesAsync(int count, TimeSpan? timeout = null) =>
        WaitAsync(() => _responses.Count >= count, timeout);

    public Task WaitForResponsesAsync(Func<IReadOnlyList<ResponseUrlPost>, bool> condition, TimeSpan? timeout = null) =>
        WaitAsync(() => condition(Responses), timeout);

    public Task WaitForUpdatesAsync(int count, TimeSpan? timeout = null) =>
        WaitAsync(() => _updates.Count >= count, timeout);

    public Task WaitForEphemeralsAsync(int count, TimeSpan? timeout = null) =>
        WaitAsync(() => _ephemerals.Count >= count, timeout);

    private Task WaitAsync(Func<bool> condition, TimeSpan? timeout) => _waiters.WaitAsync(condition, timeout);

    private void Changed() => _waiters.Changed();

    private void Map(WebApplication app)
    {
        app.MapPost("/api/{method}", async (HttpContext context, string method) =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            _calls.Enqueue((method, authorization));
            SlackPost? post = null;
            if (method == "chat.postMessage")
            {
                var body = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body);
                post = new SlackPost((string)body!["channel"]!, (string)body["text"]!, (string?)body["thread_ts"], "", body["blocks"]?.DeepClone().AsArray());
                _postCalls.Enqueue(post);
                Changed();
            }

            if (BeforeCall is { } beforeCall)
            {
                await beforeCall(method);
            }

            if (authorization != "Bearer " + BotToken)
            {
                return Results.Json(new { ok = false, error = "invalid_auth" });
            }

            if (MethodErrors.TryGetValue(method, out var error))
            {
                return Results.Json(new { ok = false, error = error.Error, needed = error.Needed });
            }

            switch (method)
            {
                case "chat.postMessage":
                    if (BeforePost is { } before)
                    {
                        await before(post!);
                    }

                    if (PostBehavior?.Invoke(post!) is { } scripted)
                    {
                        _refused.Enqueue(post!);
                        Changed();
                        if (scripted.RetryAfter is { } retryAfter)
                        {
                            context.Response.Headers.RetryAfter = retryAfter.ToString();
                        }

                        return Results.Json(new { ok = false, error = scripted.Error ?? "ratelimited" }, statusCode: scripted.Status);
                    }

                    var ts = $"{Interlocked.Increment(ref _ts)}.000100";
                    _posts.Enqueue(post! with { Ts = ts });
                    Changed();
                    if (StallPost?.Invoke(post) is { } stall)
                    {
                        await stall.AnswerAsync(context, 200, "application/json", JsonSerializer.Serialize(new { ok = true, channel = post.Channel, ts }));
                        return Results.Empty;
                    }

                    return Results.Json(new { ok = true, channel = post.Channel, ts });
                case "chat.update":
                    var update = (await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body))!;
                    _updates.Enqueue(new SlackPost((string)update["channel"]!, (string)update["text"]!, null, (string)update["ts"]!, update["blocks"]?.DeepClone().AsArray()));
                    Changed();
                    return Results.Json(new { ok = true, channel = (string)update["channel"]!, ts = (string)update["ts"]! });
                case "chat.postEphemeral":
                    var ephemeral = (await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body))!;
                    _ephemerals.Enqueue(new SlackEphemeral((string)ephemeral["channel"]!, (string)ephemeral["user"]!, (string)ephemeral["text"]!, (string?)ephemeral["thread_ts"],
                        ephemeral["blocks"]?.DeepClone().AsArray()));
                    Changed();
                    return Results.Json(new { ok = true, message_ts = $"{Interlocked.Increment(ref _ts)}.000200" });
                case "conversations.open":
                    var users = (await context.Request.ReadFormAsync())["users"].ToString();
                    return Results.Json(new { ok = true, channel = new { id = "D" + users } });
                case "users.info":
                    var form = await context.Request.ReadFormAsync();
                    return Users.TryGetValue(form["user"].ToString(), out var user)
                        ? Results.Json(new { ok = true, user })
                        : Results.Json(new { ok = false, error = "user_not_found" });
                case "conversations.info":
                    var channelForm = await context.Request.ReadFormAsync();
                    var channelId = channelForm["channel"].ToString();
                    return Channels.TryGetValue(channelId, out var channelName)
                        ? Results.Json(new { ok = true, channel = new { id = channelId, name = channelName, is_channel = true } })
                        : Results.Json(new { ok = false, error = "channel_not_found" });
                case "files.info":
                    var fileForm = await context.Request.ReadFormAsync();
                    return FileInfos.TryGetValue(fileForm["file"].ToString(), out var fileInfo)
                        ? Results.Json(new { ok = true, file = fileInfo })
                        : Results.Json(new { ok = false, error = "file_not_found" });
                case "auth.test":
                    return Results.Json(new { ok = true, team = "acme-ops", user_id = "U08BOTUSER9" });
                default:
                    return Results.Json(new { ok = false, error = "unknown_method" });
            }
        });
        // Bridge never GETs the Web API; a file address pointing here would show up as such a call.
        app.MapGet("/api/{method}", (HttpContext context, string method) =>
        {
            _calls.Enqueue(("GET " + method, context.Request.Headers.Authorization.ToString()));
            return Results.Json(new { ok = false, error = "invalid_arguments" });
        });
        app.MapGet("/files-pri/{**path}", (HttpContext context, string path) =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            _fileRequests.Enqueue(new FileRequest(path, authorization));
            if (!Files.TryGetValue(path.Split('/')[^1], out var file))
            {
                return Results.NotFound();
            }

            if (file.RedirectTo is { } target)
            {
                return Results.Redirect(target);
            }

            if (file.Stall is { } trickle)
            {
                return Results.Stream(body => trickle.SendAsync(body, context.RequestAborted), file.ContentType);
            }

            if (authorization != "Bearer " + BotToken || file.SignInPage)
            {
                return Results.Content("<!DOCTYPE html><html><body>Sign in to Slack</body></html>", "text/html; charset=utf-8");
            }

            if (FileSent is { } sent)
            {
                context.Response.OnCompleted(() =>
                {
                    sent(path);
                    return Task.CompletedTask;
                });
            }

            return file.Chunked
                ? Results.Stream(body => body.WriteAsync(file.Content).AsTask(), file.ContentType)
                : Results.Bytes(file.Content, file.ContentType);
        });
        app.MapPost("/response/{id}", async (HttpContext context, string id) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body);
            if (ResponseUrlStatus is { } status)
            {
                return Results.Text("expired_url", statusCode: status);
            }

            _responses.Enqueue(new ResponseUrlPost(id, (string?)body?["text"] ?? "", context.Request.Headers.Authorization.ToString(), body));
            Changed();
            return Results.Ok();
        });
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
