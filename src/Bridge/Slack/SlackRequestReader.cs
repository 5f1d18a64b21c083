using Microsoft.Extensions.Options;

namespace Bridge.Slack;

/// <summary>Reads a Slack request's raw body, bounded, and checks its signature before anything is parsed.</summary>
internal sealed class SlackRequestReader(IOptions<SlackOptions> options, TimeProvider time)
{
    /// <summary>Far above any real slash command or interaction payload.</summary>
    public const int MaxBodyBytes = 512 * 1024;

    public async Task<(byte[]? Body, IResult? Refusal)> ReadVerifiedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var slack = options.Value;
        if (!slack.IsConfigured)
        {
            return (null, TypedResults.Problem("Slack is not configured on this Bridge.", statusCode: StatusCodes.Status503ServiceUnavailable));
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > MaxBodyBytes)
            {
                return (null, TooLarge());
            }

            body.Write(buffer, 0, read);
        }

        var valid = SlackSignature.IsValid(
            slack.SigningSecret!,
            request.Headers["X-Slack-Request-Timestamp"],
            request.Headers["X-Slack-Signature"],
            body.GetBuffer().AsSpan(0, (int)body.Length),
            time.GetUtcNow());
        return valid
            ? (body.ToArray(), null)
            : (null, TypedResults.Problem("The request is not signed by Slack, or its timestamp is more than 5 minutes old.", statusCode: StatusCodes.Status401Unauthorized));
    }

    private static IResult TooLarge() =>
        TypedResults.Problem($"The request body is larger than {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
}
