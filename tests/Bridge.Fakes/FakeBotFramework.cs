using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Fakes;

/// <summary>
/// The Bot Framework on 127.0.0.1: OpenID metadata and a JWKS with endorsements (keys minted here), and a Bot
/// Connector that records the activities posted to it and serves attachments to the bot's token (minted by
/// <see cref="FakeEntraTenant"/>).
/// </summary>
public sealed class FakeBotFramework : IAsyncDisposable
{
    public const string AppId = "3a1f5c7e-9b2d-4e6f-8a0c-1b3d5f7a9c2e";
    public const string AppPassword = "test-app-password-not-a-secret";

    private readonly ConcurrentQueue<ConnectorPost> _posts = new();
    private readonly ConcurrentQueue<ConnectorUpdate> _updates = new();
    private int _postCount;
    private readonly ConcurrentQueue<(string Path, string Authorization)> _downloads = new();
    private readonly ConditionWaiters _waiters = new();
    private LoopbackServer _server = null!;

    public Uri BaseUrl => _server.BaseUrl;
    public string MetadataUrl => new Uri(BaseUrl, "openid/.well-known/openidconfiguration").ToString();
    /// <summary>The activities' serviceUrl: the Connector lives under a path, with the trailing slash Teams sends.</summary>
    public string ServiceUrl => new Uri(BaseUrl, "emea/7d3f5a2b-9c1e-4f8a-b6d2-1e0c9a8b7f65/").ToString();

    /// <summary>The keys in the JWKS, each with its endorsements.</summary>
    public List<(RsaSecurityKey Key, string[]? Endorsements)> Keys { get; } = [];
    public RsaSecurityKey SigningKey { get; }
    public int MetadataRequests;
    public int KeysRequests;
    /// <summary>Scripted answer for posted activities (status, Retry-After seconds); null answers 201.</summary>
    public Func<ConnectorPost, (int Status, int? RetryAfter)?>? PostBehavior { get; set; }

    /// <summary>
    /// Picks the posted activities whose answer stalls after its headers: the Connector takes the activity (it is
    /// recorded), then holds the body of its 201 until the returned stall is released. Null, or a null stall, answers at once.
    /// </summary>
    public Func<ConnectorPost, StalledBody?>? StallPost { get; set; }

    /// <summary>When set, attachment downloads send their headers, then hold the image until it is released.</summary>
    public StalledBody? StallDownloads { get; set; }

    public IReadOnlyList<ConnectorPost> Posts => _posts.ToArray();
    public IReadOnlyList<ConnectorUpdate> Updates => _updates.ToArray();
    public IReadOnlyList<(string Path, string Authorization)> Downloads => _downloads.ToArray();

    private FakeBotFramework()
    {
        SigningKey = NewKey("k1");
        Keys.Add((SigningKey, ["msteams"]));
    }

    public static async Task<FakeBotFramework> StartAsync()
    {
        var fake = new FakeBotFramework();
        fake._server = await LoopbackServer.StartAsync(fake.Map);
        return fake;
    }

    public static RsaSecurityKey NewKey(string keyId) => new(RSA.Create(2048)) { KeyId = keyId };

    public Task WaitForPostsAsync(Func<IReadOnlyList<ConnectorPost>, bool> condition, TimeSpan? timeout = null) =>
        _waiters.WaitAsync(() => condition(Posts), timeout);

    public Task WaitForUpdatesAsync(Func<IReadOnlyList<ConnectorUpdate>, bool> condition, TimeSpan? timeout = null) =>
        _waiters.WaitAsync(() => condition(Updates), timeout);

    private void Changed() => _waiters.Changed();

    private void Map(WebApplication app)
    {
        app.MapGet("/openid/.well-known/openidconfiguration", () =>
        {
            Interlocked.Increment(ref MetadataRequests);
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = "https://api.botframework.com",
                ["jwks_uri"] = new Uri(BaseUrl, "openid/keys").ToString(),
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
            });
        });
        app.MapGet("/openid/keys", () =>
        {
            Interlocked.Increment(ref KeysRequests);
            return Results.Text(Jwks(Keys), "application/json");
        });
        app.MapPost("/emea/{tenant}/v3/conversations/{conversation}/activities/{replyToId?}", async (HttpContext context, string conversation) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body);
            var post = new ConnectorPost(
                context.Features.Get<IHttpRequestFeature>()!.RawTarget,
                conversation,
                context.Request.Headers.Authorization.ToString(),
                (string?)body?["text"] ?? "",
                body!,
                "1767229999" + Interlocked.Increment(ref _postCount));
            if (PostBehavior?.Invoke(post) is { } scripted)
            {
                if (scripted.RetryAfter is { } retryAfter)
                {
                    context.Response.Headers.RetryAfter = retryAfter.ToString();
                }

                return Results.Json(new { error = new { code = "Throttled", message = "scripted" } }, statusCode: scripted.Status);
            }

            if (!post.Authorization.StartsWith("Bearer bot-token-", StringComparison.Ordinal))
            {
                return Results.Json(new { error = new { code = "Unauthorized" } }, statusCode: 401);
            }

            _posts.Enqueue(post);
            Changed();
            var id = post.Id;
            if (StallPost?.Invoke(post) is { } stall)
            {
                await stall.AnswerAsync(context, 201, "application/json", JsonSerializer.Serialize(new { id }));
                return Results.Empty;
            }

            return Results.Json(new { id }, statusCode: 201);
        });
        app.MapPut("/emea/{tenant}/v3/conversations/{conversation}/activities/{activityId}", async (HttpContext context, string conversation, string activityId) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body);
            var authorization = context.Request.Headers.Authorization.ToString();
            if (!authorization.StartsWith("Bearer bot-token-", StringComparison.Ordinal))
            {
                return Results.Json(new { error = new { code = "Unauthorized" } }, statusCode: 401);
            }

            _updates.Enqueue(new ConnectorUpdate(conversation, activityId, authorization, body!));
            Changed();
            return Results.Json(new { id = activityId });
        });
        app.MapGet("/emea/{tenant}/v3/attachments/{id}/views/original", async (HttpContext context, string id) =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            _downloads.Enqueue((context.Request.Path, authorization));
            if (StallDownloads is { } stall)
            {
                await stall.AnswerAsync(context, 200, "image/png", Png);
                return Results.Empty;
            }

            return authorization.StartsWith("Bearer bot-token-", StringComparison.Ordinal)
                ? Results.Bytes(Png, "image/png")
                : Results.Text("<html>sign in</html>", "text/html", statusCode: 401);
        });
        app.MapGet("/files/{name}", (HttpContext context, string name) =>
        {
            _downloads.Enqueue((context.Request.Path, context.Request.Headers.Authorization.ToString()));
            return name == "login.pdf" ? Results.Text("<html>sign in</html>", "text/html") : Results.Bytes([37, 80, 68, 70], "application/octet-stream");
        });
    }

    /// <summary>A JWKS document of RSA public keys, each with its endorsements when it has any.</summary>
    public static string Jwks(IEnumerable<(RsaSecurityKey Key, string[]? Endorsements)> keys)
    {
        var array = new JsonArray();
        foreach (var (key, endorsements) in keys.ToList())
        {
            var parameters = key.Rsa.ExportParameters(false);
            var jwk = new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = key.KeyId,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            };
            if (endorsements is not null)
            {
                jwk["endorsements"] = new JsonArray(endorsements.Select(e => (JsonNode)JsonValue.Create(e)!).ToArray());
            }

            array.Add(jwk);
        }

        return new JsonObject { ["keys"] = array }.ToJsonString();
    }

    /// <summary>A 1x1 PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
