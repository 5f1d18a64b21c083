namespace Bridge.Forwarding;

/// <summary>What a press of "Send again" did (<see cref="SendAgain.PressAsync"/>).</summary>
internal abstract record SendAgainResult
{
    private SendAgainResult()
    {
    }

    /// <summary>The pressed jobs were retried; <see cref="Outcome"/> is the pressed outcome's text as it was.</summary>
    public sealed record SentAgain(Forward Forward, string Outcome, DateTimeOffset At) : SendAgainResult;

    /// <summary>A possibly delivered job is among them: nothing was sent; ask the presser to confirm.</summary>
    public sealed record NeedsConfirmation(string Sentence) : SendAgainResult;

    /// <summary>Nothing was sent; <see cref="Sentence"/>, told only to the presser, says why.</summary>
    public sealed record Refused(string Sentence) : SendAgainResult;
}
