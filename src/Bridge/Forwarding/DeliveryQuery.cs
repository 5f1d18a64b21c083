namespace Bridge.Forwarding;

internal sealed record DeliveryQuery(
    Platform? Platform = null,
    string? ChannelId = null,
    string? GroupId = null,
    DeliveryStatus? Status = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    int Skip = 0,
    int Take = 50)
{
    /// <summary>This query's page of <paramref name="newestFirst"/>: the jobs matching every filter given, after skipping.</summary>
    public IEnumerable<DeliveryJob> Page(IEnumerable<DeliveryJob> newestFirst) => newestFirst.Where(Matches).Skip(Skip).Take(Take);

    /// <summary>The same page, of jobs read a slice at a time; it stops reading once the page is full.</summary>
    public ValueTask<List<DeliveryJob>> PageAsync(IAsyncEnumerable<DeliveryJob> newestFirst, CancellationToken cancellationToken) =>
        newestFirst.Where(Matches).Skip(Skip).Take(Take).ToListAsync(cancellationToken);

    private bool Matches(DeliveryJob job) =>
        (Platform is null || job.Platform == Platform)
        && (ChannelId is null || job.ChannelId == ChannelId)
        && (GroupId is null || job.GroupId == GroupId)
        && (Status is null || job.Status == Status)
        && (Since is null || job.CreatedAt >= Since)
        && (Until is null || job.CreatedAt <= Until);
}
