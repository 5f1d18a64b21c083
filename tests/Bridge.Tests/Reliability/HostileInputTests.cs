using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Reliability;

/// <summary>
/// Seeded generators of bad requests for every Slack endpoint, signed and unsigned: never a 5xx, never a crash,
/// never a send.
/// </summary>
public sealed class HostileInputTests
{
    public static TheoryData<string> SlackEndpoints => ["/slack/commands", "/slack/interactivity", "/slack/events"];

    [Theory]
    [MemberData(nameof(SlackEndpoints))]
    public async Task Correctly_signed_garbage_never_causes_a_5xx_or_a_send(string path)
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        using var http = app.CreateClient();

        foreach (var (body, contentType) in HostileBodies.Generate(seed: 20261125, count: 150))
        {
            var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            request.Headers.Add("X-Slack-Request-Timestamp", ts.ToString());
            request.Headers.Add("X-Slack-Signature", HostileBodies.Sign(body, ts));
            var response = await http.SendAsync(request);

            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for a body starting {Preview(body)}");
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Empty(app.WhatsApp.Sends);
    }

    [Theory]
    [MemberData(nameof(SlackEndpoints))]
    public async Task Forged_and_replayed_signatures_are_all_refused(string path)
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();
        using var http = app.CreateClient();
        var body = SlackRequests.SlashCommandBody("forged");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var valid = SlackRequests.Sign(body, now);
        var attempts = new (string? Timestamp, string? Signature)[]
        {
            (now.ToString(), null),
            (null, valid),
            (now.ToString(), "v0="),
            (now.ToString(), valid.ToUpperInvariant()),
            (now.ToString(), valid[..^1] + (valid[^1] == '0' ? '1' : '0')),
            (now.ToString(), "v1=" + valid[3..]),
            (now.ToString(), valid + "\r\nX-Injected: 1"),
            ((now - 3600).ToString(), SlackRequests.Sign(body, now - 3600)),
            ((now + 3600).ToString(), SlackRequests.Sign(body, now + 3600)),
            ("99999999999999999999999", valid),
            (now + ".0", valid),
            (now.ToString(), SlackRequests.Sign(body, now, secret: "")),
            (now.ToString(), new string('a', 100_000)),
        };

        foreach (var (timestamp, signature) in attempts)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            if (timestamp is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Slack-Request-Timestamp", timestamp);
            }

            if (signature is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Slack-Signature", signature);
            }

            var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{(int)response.StatusCode} for ({timestamp}, {signature?[..Math.Min(20, signature.Length)]})");
        }

        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Empty(app.WhatsApp.Sends);
    }

    [Fact]
    public async Task Garbage_sent_to_the_admin_API_with_a_valid_key_never_causes_a_5xx_or_a_change()
    {
        await using var app = await Admin.AdminApp.StartAsync();
        using var http = Admin.AdminApp.Api(app);
        string[] paths = ["/admin/api/links", "/admin/api/links/x", "/admin/api/deliveries?status=%00&since=yesterday&take=-5", "/admin/api/groups?session=%2e%2e%2f"];

        foreach (var (body, contentType) in HostileBodies.Generate(seed: 7, count: 80))
        {
            var content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            var response = await http.PostAsync("/admin/api/links", content);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for POST /admin/api/links with {Preview(body)}");
        }

        foreach (var path in paths)
        {
            Assert.True((int)(await http.GetAsync(path)).StatusCode < 500, path);
            Assert.True((int)(await http.DeleteAsync(path)).StatusCode < 500, path);
        }

        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Garbage_activities_with_a_valid_Teams_token_never_cause_a_5xx_or_a_send()
    {
        await using var teams = await Teams.TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var random = new Random(11);
        var mention = teams.Mention("send hello").ToJsonString();
        string[] shapes =
        [
            "", "null", "[]", "{}", "{\"type\":42}", "{\"type\":\"message\"}", "{\"type\":\"invoke\",\"name\":\"composeExtension/submitAction\",\"value\":null}",
            "{\"type\":\"invoke\",\"name\":\"composeExtension/submitAction\",\"value\":{\"messagePayload\":{\"body\":{\"content\":" + new string('[', 3000) + "}}}}",
            mention.Replace("\"serviceUrl\"", "\"serviceUrI\""), mention[..(mention.Length / 2)], new string('{', 100_000),
        ];

        var bodies = shapes.Concat(HostileBodies.Generate(seed: 3, count: 60).Select(b => Encoding.UTF8.GetString(b.Body)))
            .Concat(Enumerable.Range(0, 20).Select(_ => mention.Insert(random.Next(mention.Length), "\u0000\uFFFF\"")));
        foreach (var body in bodies)
        {
            var response = await teams.PostRawAsync(body, "Bearer " + teams.Token());
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {body[..Math.Min(body.Length, 60)]}");
        }

        Assert.Empty(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Empty(teams.App.WhatsApp.Sends);
        Assert.Equal(HttpStatusCode.OK, (await teams.App.CreateClient().GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Guessed_and_garbage_media_links_and_admin_form_posts_never_cause_a_5xx()
    {
        await using var app = await Admin.AdminApp.StartAsync();
        using var http = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var random = new Random(5);
        string[] media =
        [
            "/media/x/y", "/media/%00/%2e%2e", "/media/" + new string('a', 5000) + "/f.png?exp=1&sig=2",
            "/media/0123456789abcdef0123456789abcdef/f.png?exp=99999999999999999999&sig=AAAA",
            "/media/0123456789abcdef0123456789abcdef/f.png?exp=-1&sig=" + new string('%', 50),
            "/media/..%2f..%2fetc%2fpasswd/x?exp=1&sig=1",
        ];
        foreach (var path in media.Concat(Enumerable.Range(0, 30).Select(_ => $"/media/{Guid.NewGuid():N}/a.png?exp={random.NextInt64()}&sig={Convert.ToBase64String(Guid.NewGuid().ToByteArray())}")))
        {
            var response = await http.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {path[..Math.Min(path.Length, 80)]}");
        }

        foreach (var form in new[] { "/admin/signin", "/admin/links", "/admin/links/x/remove", "/admin/signout" })
        {
            foreach (var (body, contentType) in HostileBodies.Generate(seed: 9, count: 20))
            {
                var content = new ByteArrayContent(body);
                if (contentType is not null)
                {
                    content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }

                var response = await http.PostAsync(form, content);
                Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for POST {form}");
            }
        }

        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Header_injection_in_command_text_goes_out_as_plain_text()
    {
        await using var app = await BridgeApp.StartAsync();
        await app.LinkAsync();

        await app.SlashCommandAsync("Hello\r\nX-Injected: yes\r\n\r\n<script>alert(1)</script> \u202Eevil\u0000 😀");

        await app.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal("Hello\r\nX-Injected: yes\r\n\r\n<script>alert(1)</script> \u202Eevil\u0000 😀", app.WhatsApp.Sends[0].Message);
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null));
        Assert.DoesNotContain("<script>", app.Slack.Posts[0].Text);
    }

    private static string Preview(byte[] body) => Convert.ToHexString(body.AsSpan(0, Math.Min(body.Length, 24)));
}

/// <summary>Deterministic bad bodies: random bytes, truncated forms and JSON, huge fields, deep JSON, Unicode edge cases.</summary>
public static class HostileBodies
{
    /// <summary>Signs raw bytes (which need not be UTF-8) the way Slack does.</summary>
    public static string Sign(byte[] body, long timestamp)
    {
        var signed = Encoding.ASCII.GetBytes($"v0:{timestamp}:").Concat(body).ToArray();
        return "v0=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(SlackRequests.SigningSecret), signed));
    }

    public static IEnumerable<(byte[] Body, string? ContentType)> Generate(int seed, int count)
    {
        var random = new Random(seed);
        string?[] contentTypes = ["application/x-www-form-urlencoded", "application/json", "text/plain", "multipart/form-data; boundary=x", null, "application/x-www-form-urlencoded; charset=utf-16", "garbage/;;;"];
        // Well-formed commands in the mix target an unlinked channel: a huge but valid text is not an attack.
        var valid = SlackRequests.SlashCommandBody("hello", channelId: "CNOTLINKED");
        var payload = "payload=" + Uri.EscapeDataString("""{"type":"message_action","callback_id":"send_to_whatsapp","team":{"id":"T1"},"channel":{"id":"C1"},"user":{"id":"U1"},"message":{"ts":"1.2","text":"hi"}}""");
        for (var i = 0; i < count; i++)
        {
            var contentType = contentTypes[random.Next(contentTypes.Length)];
            byte[] body = (i % 10) switch
            {
                0 => RandomBytes(random, random.Next(0, 4096)),
                1 => Encoding.UTF8.GetBytes(valid[..random.Next(0, valid.Length)]),
                2 => Encoding.UTF8.GetBytes(payload[..random.Next(0, payload.Length)]),
                3 => Encoding.UTF8.GetBytes(valid.Replace("text=hello", "text=" + new string('x', random.Next(10_000, 400_000)))),
                4 => Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(new string('[', 5000) + new string(']', 5000))),
                5 => Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString("{\"type\":" + new string('{', 2000))),
                6 => Encoding.UTF8.GetBytes(valid.Replace("text=hello", "text=" + Uri.EscapeDataString("\uD800\uDFFF\uFFFE\u0000\u202E𝕳ello " + new string('\u0301', 500)))),
                7 => Encoding.UTF8.GetBytes(valid.Replace("team_id=T08ABCD1234", "team_id=%ZZ%%&team_id=T1&team_id=T2")),
                8 => Encoding.UTF8.GetBytes("payload=%7B%22type%22%3A%22message_action%22%2C%22message%22%3Anull%2C%22channel%22%3A42%7D"),
                _ => Encoding.UTF8.GetBytes("{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event\":{\"type\":\"app_mention\",\"text\":" + random.Next() + "}}"),
            };
            yield return (body, contentType);
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
