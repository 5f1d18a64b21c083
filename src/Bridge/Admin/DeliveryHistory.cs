using Bridge.Forwarding;

namespace Bridge.Admin;

/// <summary>Reads the delivery history: jobs newest first, each joined with its forward (who asked, what) and its channel's name.</summary>
internal sealed class DeliveryHistory(IForwardStore store, ChannelNames channelNames)
{
    public async Task<DeliveryPage> QueryAsync(DeliveryQuery query, CancellationToken cancellationToken)
    {
        // One more than asked tells whether another page follows.
        var jobs = await store.QueryJobsAsync(query with { Take = query.Take + 1 }, cancellationToken);
        var forwards = new Dictionary<string, Forward?>();
        var items = new List<DeliveryView>();
        foreach (var job in jobs.Take(query.Take))
        {
            if (!forwards.TryGetValue(job.ForwardId, out var forward))
            {
                forward = forwards[job.ForwardId] = await store.GetForwardAsync(job.ForwardId, cancellationToken);
            }

            var channel = new ChannelRef(job.Platform, job.WorkspaceId, job.ChannelId);
            items.Add(DeliveryView.From(job, forward, await channelNames.NameAsync(channel, forward?.ChannelName, cancellationToken)));
        }

        return new DeliveryPage(items, query.Skip, query.Take, jobs.Count > query.Take);
    }
}
