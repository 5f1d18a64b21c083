namespace Bridge.Bench.Load;

internal enum Outcome
{
    /// <summary>Answered 200 with the command's real answer within Slack's time.</summary>
    Accepted,
    /// <summary>Answered 200 with "working on it": the real answer follows through response_url.</summary>
    Late,
    /// <summary>Any other answer, or no answer at all.</summary>
    Failed,
}
