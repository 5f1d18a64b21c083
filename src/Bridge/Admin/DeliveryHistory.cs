using Bridge.Forwarding;

namespace Bridge.Admin;

/// <summary>Reads the delivery history: jobs newest first, each joined with its forward (who asked, what).</summary>
internal sealed class DeliveryHistory(IForwardStore store)
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

            items.Add(DeliveryView.From(job, forward));
        }

        return new DeliveryPage(items, query.Skip, query.Take, jobs.Count > query.Take);
    }
}
