namespace Bridge.Forwarding;

/// <summary>
/// Sends a job that ended failed or possibly delivered again: the one retry path, for the admin page and API and for
/// buttons in Slack and Teams alike.
/// </summary>
internal sealed class DeliveryRetry(IForwardStore store, IDeliveryScheduler delivery, TimeProvider time)
{
    public const string MaySendTwice =
        "This may send the message twice: it was possibly delivered. Check the WhatsApp group, then confirm to send it again.";

    /// <param name="retriedBy">Who asks, as the history shows it.</param>
    /// <param name="confirm">The asker knows that a possibly delivered job may reach the group twice.</param>
    public async Task<RetryOutcome> RetryAsync(long jobId, string retriedBy, bool confirm, CancellationToken cancellationToken)
    {
        var job = await store.GetJobAsync(jobId, cancellationToken);
        if (job is null)
        {
            return new RetryOutcome.NotFound();
        }

        if (await RetryOfAsync(job, cancellationToken) is { } earlier)
        {
            return AlreadyRetried(job, earlier);
        }

        if (!job.IsRetryable)
        {
            return new RetryOutcome.Refused(job.Status == DeliveryStatus.Delivered
                ? $"Delivery {jobId} was delivered, so there is nothing to retry."
                : $"Delivery {jobId} is still being sent; it can be retried once it has failed.");
        }

        if (job.Status == DeliveryStatus.Unknown && !confirm)
        {
            return new RetryOutcome.Refused(MaySendTwice, NeedsConfirmation: true);
        }

        var retry = await store.RetryJobAsync(jobId, retriedBy, time.GetUtcNow(), cancellationToken);
        if (retry is null)
        {
            // Another request (another replica's, perhaps) retried it between the read above and this write.
            return await RetryOfAsync(job, cancellationToken) is { } other
                ? AlreadyRetried(job, other)
                : new RetryOutcome.Refused($"Delivery {jobId} changed while it was being retried; look at it again.");
        }

        delivery.Noticed(retry.GroupKey, retry.Id);
        return new RetryOutcome.Retried(retry);
    }

    private async Task<DeliveryJob?> RetryOfAsync(DeliveryJob job, CancellationToken cancellationToken) =>
        (await store.GetJobsAsync(job.ForwardId, cancellationToken)).FirstOrDefault(j => j.RetryOf == job.Id);

    private static RetryOutcome.Refused AlreadyRetried(DeliveryJob job, DeliveryJob retry) =>
        new($"Delivery {job.Id} was already retried, as delivery {retry.Id}; retry that one if it fails too.");
}
