using Microsoft.Extensions.Options;

namespace Bridge.Forwarding;

/// <summary>Accepts a forward durably: one job per linked group, recorded before the inbound request is answered.</summary>
internal sealed class Forwarder(IBridgeStore store, IDeliveryScheduler delivery, TimeProvider time, IOptions<ForwardingOptions> options)
{
    public ForwardOutcome Accept(Forward forward, string? dedupeKey)
    {
        if (!options.Value.WhatsAppConfigured)
        {
            return new ForwardOutcome.WhatsAppNotConfigured();
        }

        var links = store.GetLinks(forward.Channel);
        if (links.Count == 0)
        {
            return new ForwardOutcome.NotLinked();
        }

        forward.CreatedAt = time.GetUtcNow();
        var result = store.Accept(forward, links, dedupeKey);
        if (!result.Accepted)
        {
            return new ForwardOutcome.Duplicate(result.ForwardId, store.GetJobs(result.ForwardId));
        }

        delivery.Scheduled(forward, store.GetJobs(forward.Id));
        return new ForwardOutcome.Accepted(forward.Id, links);
    }
}
