using Microsoft.Extensions.Options;

namespace Bridge.WhatsApp;

/// <summary>
/// WhatsApp is configured with both keys or neither; half a configuration stops start-up naming the missing key, and so
/// does a session id that is not one.
/// </summary>
internal sealed class WhatsAppOptionsValidator : IValidateOptions<WhatsAppOptions>
{
    public ValidateOptionsResult Validate(string? name, WhatsAppOptions options) =>
        options.MissingKeys() is [var missing]
            ? ValidateOptionsResult.Fail($"WhatsApp is half-configured: {missing} is missing (set both WhatsApp:ApiKey and WhatsApp:SessionId, or neither).")
            : !string.IsNullOrWhiteSpace(options.SessionId) && !SessionId.IsValid(options.SessionId)
                ? ValidateOptionsResult.Fail($"WhatsApp:SessionId must be a TalkNTalk phone chat_id: {SessionId.Form}.")
                : ValidateOptionsResult.Success;
}
