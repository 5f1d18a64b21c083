using System.Globalization;
using System.Security.Cryptography;
using System.Text;

// The minimal Slack endpoint the bench compares Bridge with: same host defaults and logging levels as Bridge, the
// same bounded read and v0 signature check, then a fixed ephemeral answer. Nothing is stored or sent.
var builder = WebApplication.CreateBuilder(args);
var secret = builder.Configuration["Slack:SigningSecret"];
if (string.IsNullOrWhiteSpace(secret))
{
    throw new InvalidOperationException("Set Slack:SigningSecret (for example Slack__SigningSecret).");
}

var app = builder.Build();
app.MapGet("/healthz", () => TypedResults.Text("ok"));
app.MapPost("/slack/commands", async (HttpRequest request, CancellationToken cancellationToken) =>
{
    const int maxBodyBytes = 512 * 1024;
    if (request.ContentLength > maxBodyBytes)
    {
        return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
    }

    using var body = new MemoryStream();
    var buffer = new byte[16 * 1024];
    int read;
    while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
    {
        if (body.Length + read > maxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        body.Write(buffer, 0, read);
    }

    string timestamp = request.Headers["X-Slack-Request-Timestamp"].ToString();
    string signature = request.Headers["X-Slack-Signature"].ToString();
    if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
    {
        return Results.Unauthorized();
    }

    var prefix = Encoding.ASCII.GetBytes($"v0:{timestamp}:");
    var signed = new byte[prefix.Length + body.Length];
    prefix.CopyTo(signed, 0);
    body.GetBuffer().AsSpan(0, (int)body.Length).CopyTo(signed.AsSpan(prefix.Length));
    var expected = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
        ? Results.Json(new { response_type = "ephemeral", text = "ok" })
        : Results.Unauthorized();
});
app.Run();
