using Microsoft.Extensions.Options;

namespace Bridge.Forwarding;

/// <summary>Bad <c>Approval:*</c> settings stop start-up with the sentence that says what to set.</summary>
internal sealed class ApprovalOptionsValidator : IValidateOptions<ApprovalOptions>
{
    public ValidateOptionsResult Validate(string? name, ApprovalOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
