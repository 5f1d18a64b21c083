using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Bridge.Bench.Hosting;

/// <summary>
/// Builds slash command and interaction requests the way Slack sends them: a form body signed with v0 HMAC-SHA256 over
/// <c>v0:{timestamp}:{body}</c> (https://api.slack.com/authentication/verifying-requests-from-slack).
/// </summary>
internal sealed class SlackSigner(string signingSecret)
{
    public const string TeamId = "T08BENCH001";
    public const string UserId = "U08BENCHUSR";

    public HttpRequestMessage SlashCommand(Uri bridge, string channelId, string text, string responseUrl, string userId = UserId)
    {
        var body = string.Join("&", new Dictionary<string, string>
        {
            ["token"] = "bench-verification-token",
            ["team_id"] = TeamId,
            ["team_domain"] = "bench",
            ["channel_id"] = channelId,
            ["channel_name"] = "bench",
            ["user_id"] = userId,
            ["user_name"] = "bench.user",
            ["command"] = "/whatsapp",
            ["text"] = text,
            ["api_app_id"] = "A08BENCH001",
            ["response_url"] = responseUrl,
            ["trigger_id"] = Guid.NewGuid().ToString("N"),
        }.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));

        return Signed(new Uri(bridge, "slack/commands"), body);
    }

    /// <summary>An interaction (<c>POST /slack/interactivity</c>): the form field <c>payload</c> holding the JSON.</summary>
    public HttpRequestMessage Interaction(Uri bridge, string payloadJson) =>
        Signed(new Uri(bridge, "slack/interactivity"), "payload=" + Uri.EscapeDataString(payloadJson));

    private HttpRequestMessage Signed(Uri url, string body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = "v0=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature);
        return request;
    }
}
