namespace Bridge.Forwarding;

/// <summary>
/// The "Send again" button of a failed or possibly delivered outcome in Slack and Teams: what it offers, who may press
/// it, and what a press does, always through <see cref="DeliveryRetry"/>, the admin page's retry path. The button's
/// value only names the forward and its jobs: everything is read again from the store and checked.
/// </summary>
internal sealed class SendAgain(IForwardStore store, DeliveryRetry retry, TimeProvider time)
{
    public const string NotAllowed = "Only the sender or an admin can send again.";
    public const string AlreadySentAgain = "This was already sent again; its new outcome follows in the thread.";
    private const string Unknown = "Bridge no longer knows this message (its history may have been deleted), so nothing was sent.";
    /// <summary>Ends the <see cref="DeliveryJob.RetriedBy"/> of a retry asked from the thread, so the outcome says so.</summary>
    private const string RetriedByMarker = " (Send again)";

    /// <summary>The jobs an outcome offers to send again: the ones it tells (not replaced by a retry) that ended undelivered.</summary>
    public static IReadOnlyList<DeliveryJob> Offered(IReadOnlyList<DeliveryJob> jobs) =>
        [.. jobs.Where(job => job.IsRetryable && !jobs.Any(retry => retry.RetryOf == job.Id))];

    /// <summary>What the button carries: the forward and the jobs it retries, e.g. <c>0193…:12,14</c>.</summary>
    public static string Value(string forwardId, IEnumerable<DeliveryJob> offered) =>
        forwardId + ":" + string.Join(",", offered.Select(job => job.Id));

    /// <summary>Who asked, as the history shows it, e.g. "Slack user U123 (Send again)".</summary>
    public static string RetriedBy(string person) => person + RetriedByMarker;

    public static bool AskedFromThread(DeliveryJob job) => job.RetriedBy?.EndsWith(RetriedByMarker, StringComparison.Ordinal) == true;

    /// <summary>The line added to the pressed outcome, so that it no longer invites a press.</summary>
    public static string SentAgainLine(string who, DateTimeOffset at) =>
        $"↩️ Sent again by {who} at {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC; the new outcome follows.";

    /// <param name="value">The pressed button's value (<see cref="Value"/>).</param>
    /// <param name="channel">Where the button was pressed: it must be the forward's own channel.</param>
    /// <param name="userId">Who pressed it, as forwards record users (Slack user id, Teams AAD object id).</param>
    /// <param name="isAdmin">Asked only when the presser is not the sender; false when the platform can't say.</param>
    /// <param name="confirmed">The press came from the confirmation, which a possibly delivered job needs.</param>
    public async Task<SendAgainResult> PressAsync(
        string? value,
        ChannelRef channel,
        string userId,
        Func<CancellationToken, Task<bool>> isAdmin,
        string retriedBy,
        bool confirmed,
        CancellationToken cancellationToken)
    {
        try
        {
            return await PressCheckedAsync(value, channel, userId, isAdmin, retriedBy, confirmed, cancellationToken);
        }
        catch (StoreUnavailableException exception)
        {
            return new SendAgainResult.Refused(ForwardOutcome.NotRecordedSentence(exception.Reason));
        }
    }

    private async Task<SendAgainResult> PressCheckedAsync(
        string? value,
        ChannelRef channel,
        string userId,
        Func<CancellationToken, Task<bool>> isAdmin,
        string retriedBy,
        bool confirmed,
        CancellationToken cancellationToken)
    {
        if (!TryParse(value, out var forwardId, out var jobIds))
        {
            return new SendAgainResult.Refused("Bridge does not know this button, so nothing was sent.");
        }

        var forward = await store.GetForwardAsync(forwardId, cancellationToken);
        if (forward is null || forward.Channel != channel)
        {
            return new SendAgainResult.Refused(Unknown);
        }

        if (forward.UserId != userId && !await isAdmin(cancellationToken))
        {
            return new SendAgainResult.Refused(NotAllowed);
        }

        var jobs = await store.GetJobsAsync(forwardId, cancellationToken);
        var pressed = jobs.Where(job => jobIds.Contains(job.Id)).ToList();
        if (pressed.Count != jobIds.Count)
        {
            return new SendAgainResult.Refused(Unknown);
        }

        var waiting = pressed.Where(job => !jobs.Any(retried => retried.RetryOf == job.Id)).ToList();
        if (waiting.Count == 0)
        {
            return new SendAgainResult.Refused(AlreadySentAgain);
        }

        if (!confirmed && waiting.Any(job => job.Status == DeliveryStatus.Unknown))
        {
            // Nothing goes until the person confirms, not even the jobs that surely failed: one press, one decision.
            return new SendAgainResult.NeedsConfirmation(DeliveryRetry.MaySendTwice);
        }

        var retriedAny = false;
        string? refusal = null;
        foreach (var job in waiting)
        {
            switch (await retry.RetryAsync(job.Id, retriedBy, confirmed, cancellationToken))
            {
                case RetryOutcome.Retried:
                    retriedAny = true;
                    break;
                case RetryOutcome.Refused refused:
                    refusal ??= refused.Sentence;
                    break;
                default:
                    refusal ??= Unknown;
                    break;
            }
        }

        var now = await store.GetJobsAsync(forwardId, cancellationToken);
        if (!retriedAny)
        {
            // A second press that got past the read above lost to the first in DeliveryRetry.
            return new SendAgainResult.Refused(pressed.All(job => now.Any(retried => retried.RetryOf == job.Id)) ? AlreadySentAgain : refusal ?? Unknown);
        }

        // The pressed outcome as it was: its jobs without the retries this button made.
        var before = OutcomeText.For(forward, [.. now.Where(job => job.RetryOf is not { } of || !jobIds.Contains(of))]);
        return new SendAgainResult.SentAgain(forward, before, time.GetUtcNow());
    }

    private static bool TryParse(string? value, out string forwardId, out IReadOnlyList<long> jobIds)
    {
        forwardId = "";
        jobIds = [];
        var parts = value?.Split(':');
        if (parts is not [{ Length: > 0 and <= 64 } id, { Length: > 0 } ids])
        {
            return false;
        }

        var parsed = new List<long>();
        foreach (var part in ids.Split(','))
        {
            if (!long.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var jobId))
            {
                return false;
            }

            parsed.Add(jobId);
        }

        forwardId = id;
        jobIds = parsed;
        return true;
    }
}
