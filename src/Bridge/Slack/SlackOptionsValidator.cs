using Microsoft.Extensions.Options;

namespace Bridge.Slack;

/// <summary>Slack is configured with both keys or neither; half a configuration stops start-up naming the missing key.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options) =>
        options.MissingKeys() is [var missing]
            ? ValidateOptionsResult.Fail($"Slack is half-configured: {missing} is missing (set both Slack:SigningSecret and Slack:BotToken, or neither).")
            : ValidateOptionsResult.Success;
}
