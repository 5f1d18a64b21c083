using Bridge.Forwarding;

namespace Bridge.Admin;

/// <summary>Reads the delivery history: jobs newest first, each joined with its forward (who asked, what).</summary>
internal sealed class DeliveryHistory(IBridgeStore store)
{
    public DeliveryPage Query(DeliveryQuery query)
    {
        // One more than asked tells whether another page follows.
        var jobs = store.QueryJobs(query with { Take = query.Take + 1 });
        var forwards = new Dictionary<string, Forward?>();
        var items = jobs.Take(query.Take)
            .Select(job => DeliveryView.From(job, forwards.TryGetValue(job.ForwardId, out var known)
                ? known
                : forwards[job.ForwardId] = store.GetForward(job.ForwardId)))
            .ToList();
        return new DeliveryPage(items, query.Skip, query.Take, jobs.Count > query.Take);
    }
}
