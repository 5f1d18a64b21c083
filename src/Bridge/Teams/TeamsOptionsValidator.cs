using Microsoft.Extensions.Options;

namespace Bridge.Teams;

/// <summary>Teams is configured with both keys or neither; half a configuration stops start-up naming the missing key.</summary>
internal sealed class TeamsOptionsValidator : IValidateOptions<TeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsOptions options) =>
        options.MissingKeys() is [var missing]
            ? ValidateOptionsResult.Fail($"Teams is half-configured: {missing} is missing (set both Teams:AppId and Teams:AppPassword, or neither).")
            : ValidateOptionsResult.Success;
}
