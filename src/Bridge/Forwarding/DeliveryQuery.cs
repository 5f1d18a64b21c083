namespace Bridge.Forwarding;

/// <param name="Sender">A sender's user id (whole, any case) or part of their name.</param>
/// <param name="Text">Part of the forwarded text, in any case.</param>
/// <param name="Before">Only jobs with a lower id: a cursor that reads the history page after page without skipping.</param>
internal sealed record DeliveryQuery(
    Platform? Platform = null,
    string? ChannelId = null,
    string? GroupId = null,
    DeliveryStatus? Status = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    int Skip = 0,
    int Take = 50,
    string? Sender = null,
    string? Text = null,
    long? Before = null)
{
    /// <summary>This query's page of <paramref name="newestFirst"/>: the jobs matching every filter given, after skipping.</summary>
    public IEnumerable<DeliveryJob> Page(IEnumerable<DeliveryJob> newestFirst, Func<string, Forward?> forwardOf) =>
        newestFirst.Where(job => Matches(job, forwardOf)).Skip(Skip).Take(Take);

    /// <summary>
    /// Whether the job matches every filter given. The sender's name and the text are the forward's: <paramref name="forwardOf"/>
    /// is asked only when those filters are given and the job's own filters match.
    /// </summary>
    public bool Matches(DeliveryJob job, Func<string, Forward?> forwardOf) =>
        (Before is null || job.Id < Before)
        && (Platform is null || job.Platform == Platform)
        && (ChannelId is null || job.ChannelId == ChannelId)
        && (GroupId is null || job.GroupId == GroupId)
        && (Status is null || job.Status == Status)
        && (Since is null || job.CreatedAt >= Since)
        && (Until is null || job.CreatedAt <= Until)
        && (Sender is null && Text is null || forwardOf(job.ForwardId) is { } forward && MatchesForward(job, forward));

    private bool MatchesForward(DeliveryJob job, Forward forward) =>
        (Sender is null || string.Equals(job.UserId, Sender, StringComparison.OrdinalIgnoreCase)
            || forward.UserName.Contains(Sender, StringComparison.OrdinalIgnoreCase))
        && (Text is null || forward.Text.Contains(Text, StringComparison.OrdinalIgnoreCase));
}
