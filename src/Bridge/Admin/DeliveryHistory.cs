using Bridge.Forwarding;

namespace Bridge.Admin;

/// <summary>Reads the delivery history: jobs newest first, each joined with its forward (who asked, what), its retry and its channel's name.</summary>
internal sealed class DeliveryHistory(IForwardStore store, ChannelNames channelNames)
{
    public async Task<DeliveryPage> QueryAsync(DeliveryQuery query, CancellationToken cancellationToken)
    {
        // One more than asked tells whether another page follows.
        var jobs = await store.QueryJobsAsync(query with { Take = query.Take + 1 }, cancellationToken);
        var forwards = new Dictionary<string, (Forward?, IReadOnlyList<DeliveryJob>)>();
        var items = new List<DeliveryView>();
        foreach (var job in jobs.Take(query.Take))
        {
            items.Add(await ViewAsync(job, forwards, cancellationToken));
        }

        return new DeliveryPage(items, query.Skip, query.Take, jobs.Count > query.Take);
    }

    /// <summary>Every job the query's filters match (its paging aside), newest first, read a page at a time along the id: never the whole history in memory.</summary>
    public async IAsyncEnumerable<(DeliveryView View, Forward? Forward)> ExportAsync(
        DeliveryQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = query with { Skip = 0, Take = DeliveryFilter.MaxTake, Before = null };
        while (true)
        {
            var jobs = await store.QueryJobsAsync(page, cancellationToken);
            var forwards = new Dictionary<string, (Forward?, IReadOnlyList<DeliveryJob>)>();
            foreach (var job in jobs)
            {
                // The CSV has ids, not names: no Slack or Teams call per row.
                var view = await ViewAsync(job, forwards, cancellationToken, withChannelName: false);
                yield return (view, forwards[job.ForwardId].Item1);
            }

            if (jobs.Count < page.Take)
            {
                yield break;
            }

            page = page with { Before = jobs[^1].Id };
        }
    }

    public async Task<DeliveryView?> GetAsync(long jobId, CancellationToken cancellationToken) =>
        await store.GetJobAsync(jobId, cancellationToken) is { } job ? await ViewAsync(job, [], cancellationToken) : null;

    /// <summary>The job with its forward, its forward's jobs (to name its retry), each forward read once a page, and its channel's name.</summary>
    private async Task<DeliveryView> ViewAsync(
        DeliveryJob job, Dictionary<string, (Forward?, IReadOnlyList<DeliveryJob>)> forwards, CancellationToken cancellationToken, bool withChannelName = true)
    {
        if (!forwards.TryGetValue(job.ForwardId, out var read))
        {
            read = forwards[job.ForwardId] = (await store.GetForwardAsync(job.ForwardId, cancellationToken), await store.GetJobsAsync(job.ForwardId, cancellationToken));
        }

        var (forward, siblings) = read;
        var channelName = withChannelName
            ? await channelNames.NameAsync(new ChannelRef(job.Platform, job.WorkspaceId, job.ChannelId), forward?.ChannelName, cancellationToken)
            : null;
        return DeliveryView.From(job, forward, siblings.FirstOrDefault(j => j.RetryOf == job.Id)?.Id, channelName);
    }
}
