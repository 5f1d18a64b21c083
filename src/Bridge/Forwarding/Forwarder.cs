using Microsoft.Extensions.Options;

namespace Bridge.Forwarding;

/// <summary>Accepts a forward durably: one job per linked group, recorded before the inbound request is answered.</summary>
internal sealed class Forwarder(ILinkStore links, IForwardStore forwards, IDeliveryScheduler delivery, TimeProvider time, IOptions<ForwardingOptions> options)
{
    public async Task<ForwardOutcome> AcceptAsync(Forward forward, string? dedupeKey, CancellationToken cancellationToken)
    {
        if (!options.Value.WhatsAppConfigured)
        {
            return new ForwardOutcome.WhatsAppNotConfigured();
        }

        var groups = await links.GetLinksAsync(forward.Channel, cancellationToken);
        if (groups.Count == 0)
        {
            return new ForwardOutcome.NotLinked();
        }

        forward.CreatedAt = time.GetUtcNow();
        var result = await forwards.AcceptAsync(forward, groups, dedupeKey, cancellationToken);
        if (!result.Accepted)
        {
            return new ForwardOutcome.Duplicate(result.ForwardId, await forwards.GetJobsAsync(result.ForwardId, cancellationToken));
        }

        // Accepted is final: the jobs are read and scheduled even if the caller gives up now.
        delivery.Scheduled(forward, await forwards.GetJobsAsync(forward.Id, CancellationToken.None));
        return new ForwardOutcome.Accepted(forward.Id, groups);
    }
}
