using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bridge.Slack;

/// <summary>
/// Slack's v0 request signature: HMAC-SHA256 with the signing secret over <c>v0:{timestamp}:{raw body}</c>, compared in
/// constant time, timestamps more than 5 minutes away refused (https://api.slack.com/authentication/verifying-requests-from-slack).
/// </summary>
internal static class SlackSignature
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    public static bool IsValid(string signingSecret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(signingSecret) || string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > MaxAge.TotalSeconds)
        {
            return false;
        }

        var prefix = Encoding.ASCII.GetBytes($"v0:{timestamp}:");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var expected = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }
}
