using Bridge.Http;
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

        var body = await BoundedBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return (null, TypedResults.Problem($"The request body is larger than {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge));
        }

        var valid = SlackSignature.IsValid(
            slack.SigningSecret!,
            request.Headers["X-Slack-Request-Timestamp"],
            request.Headers["X-Slack-Signature"],
            body,
            time.GetUtcNow());
        return valid
            ? (body, null)
            : (null, TypedResults.Problem("The request is not signed by Slack, or its timestamp is more than 5 minutes old.", statusCode: StatusCodes.Status401Unauthorized));
    }
}
