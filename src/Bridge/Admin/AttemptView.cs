using Bridge.Forwarding;

namespace Bridge.Admin;

/// <summary>One attempt at a delivery, for the history: what happened in a sentence, the provider's answer, and the wait that followed.</summary>
/// <param name="Detail">What the provider (or the file's host) said, as it said it.</param>
/// <param name="NextAttemptAt">When the next attempt was due, when this one was followed by a wait.</param>
/// <param name="WaitSeconds">The wait before the next attempt, in seconds.</param>
internal sealed record AttemptView(
    DateTimeOffset At,
    int Part,
    AttemptOutcome Outcome,
    string Text,
    int? StatusCode,
    string? Detail,
    DateTimeOffset? NextAttemptAt,
    double? WaitSeconds)
{
    internal static AttemptView From(DeliveryAttempt attempt)
    {
        var outcome = OutcomeOf(attempt.Outcome);
        return new(attempt.At, attempt.Part, outcome, Sentence(outcome), attempt.StatusCode, attempt.Detail, attempt.NextAttemptAt,
            attempt.NextAttemptAt is { } next ? Math.Max(0, (next - attempt.At).TotalSeconds) : null);
    }

    /// <summary>The stored machine value, read into the vocabulary; a value this version does not know reads as an error of Bridge's.</summary>
    private static AttemptOutcome OutcomeOf(string stored) => stored switch
    {
        DeliveryAttempt.Sent => AttemptOutcome.Sent,
        "NotTaken" => AttemptOutcome.NotTaken,
        "Rejected" => AttemptOutcome.Rejected,
        "Unknown" => AttemptOutcome.Unconfirmed,
        DeliveryAttempt.Deferred => AttemptOutcome.HeldBack,
        DeliveryAttempt.Interrupted => AttemptOutcome.Interrupted,
        DeliveryAttempt.MediaFailed => AttemptOutcome.FileNotFetched,
        _ => AttemptOutcome.BridgeError,
    };

    private static string Sentence(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Sent => "WhatsApp took the message.",
        AttemptOutcome.NotTaken => "WhatsApp was unavailable and did not take the message.",
        AttemptOutcome.Rejected => "WhatsApp refused the message.",
        AttemptOutcome.Unconfirmed => "WhatsApp did not confirm the send, so the message was possibly delivered.",
        AttemptOutcome.HeldBack => "Bridge held the message back after repeated failures or a full queue; nothing was sent.",
        AttemptOutcome.Interrupted => "Bridge stopped while sending, so the message was possibly delivered.",
        AttemptOutcome.FileNotFetched => "A file could not be fetched, so it was not sent.",
        _ => "Bridge failed after the message left, so it was possibly delivered.",
    };
}
