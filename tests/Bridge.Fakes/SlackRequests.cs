using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Bridge.Fakes;

/// <summary>Builds requests the way Slack sends them: raw body, v0 signature, timestamp.</summary>
public static class SlackRequests
{
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";

    public static string Sign(string body, long timestamp, string secret = SigningSecret) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));

    public static HttpRequestMessage Signed(string path, string body, string contentType = "application/x-www-form-urlencoded",
        long? timestamp = null, string? signature = null)
    {
        var ts = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", ts.ToString());
        request.Headers.Add("X-Slack-Signature", signature ?? Sign(body, ts));
        return request;
    }

    public static string SlashCommandBody(string text, string userId = "U07ZXCVB456", string channelId = "C08QWERTY12",
        string? responseUrl = null, string teamId = "T08ABCD1234", string? triggerId = null) =>
        Form(new()
        {
            ["token"] = "gIkuvaNzQIHg97ATvDxqgjtO",
            ["team_id"] = teamId,
            ["team_domain"] = "acme-ops",
            ["channel_id"] = channelId,
            ["channel_name"] = "ops-alerts",
            ["user_id"] = userId,
            ["user_name"] = "maria.lopez",
            ["command"] = "/whatsapp",
            ["text"] = text,
            ["api_app_id"] = "A08BRIDGE01",
            ["is_enterprise_install"] = "false",
            ["response_url"] = responseUrl ?? "https://hooks.slack.com/commands/T08ABCD1234/1/x",
            ["trigger_id"] = triggerId ?? Guid.NewGuid().ToString("N"),
        });

    public static string Form(Dictionary<string, string> fields) =>
        string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
}
