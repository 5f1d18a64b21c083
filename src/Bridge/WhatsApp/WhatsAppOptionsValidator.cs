using Microsoft.Extensions.Options;

namespace Bridge.WhatsApp;

/// <summary>WhatsApp is configured with both keys or neither; half a configuration stops start-up naming the missing key.</summary>
internal sealed class WhatsAppOptionsValidator : IValidateOptions<WhatsAppOptions>
{
    public ValidateOptionsResult Validate(string? name, WhatsAppOptions options) =>
        options.MissingKeys() is [var missing]
            ? ValidateOptionsResult.Fail($"WhatsApp is half-configured: {missing} is missing (set both WhatsApp:ApiKey and WhatsApp:SessionId, or neither).")
            : ValidateOptionsResult.Success;
}
