using System.Text.Json.Serialization;

namespace Bridge.Admin;

/// <summary>How one attempt at a delivery ended: the API's one vocabulary for it, written as these names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AttemptOutcome>))]
internal enum AttemptOutcome
{
    /// <summary>WhatsApp took the message.</summary>
    Sent,
    /// <summary>WhatsApp was unavailable and did not take it; tried again after a wait, up to WhatsApp:MaxSendAttempts.</summary>
    NotTaken,
    /// <summary>WhatsApp refused it; not tried again.</summary>
    Rejected,
    /// <summary>WhatsApp did not confirm it: possibly delivered.</summary>
    Unconfirmed,
    /// <summary>Bridge held it back (circuit open, rate limit queue full): nothing was tried.</summary>
    HeldBack,
    /// <summary>Bridge failed after the request left: possibly delivered.</summary>
    BridgeError,
    /// <summary>Bridge stopped while sending: possibly delivered.</summary>
    Interrupted,
    /// <summary>A file could not be fetched, so it was not sent.</summary>
    FileNotFetched,
}
