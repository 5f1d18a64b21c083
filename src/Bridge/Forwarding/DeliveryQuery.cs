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
    public IEnumerable<DeliveryJob> Page(IEnumerable<DeliveryJob> newestFirst) => newestFirst
        .Where(j => Platform is null || j.Platform == Platform)
        .Where(j => ChannelId is null || j.ChannelId == ChannelId)
        .Where(j => GroupId is null || j.GroupId == GroupId)
        .Where(j => Status is null || j.Status == Status)
        .Where(j => Since is null || j.CreatedAt >= Since)
        .Where(j => Until is null || j.CreatedAt <= Until)
        .Skip(Skip)
        .Take(Take);
}
