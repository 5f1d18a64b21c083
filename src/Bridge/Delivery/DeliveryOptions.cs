using System.ComponentModel.DataAnnotations;

namespace Bridge.Delivery;

internal sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>How many WhatsApp groups are served at the same time (each group in order).</summary>
    [Range(1, 256)]
    public int MaxParallelGroups { get; set; } = 8;
    /// <summary>First delay before retrying a send that was provably not taken; doubles each time, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>How often the worker looks for due work when nothing wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    [Range(1, 100)]
    public int MaxReplyAttempts { get; set; } = 8;
    /// <summary>
    /// How long a replica's claim holds a job without renewal (renewed every third of it while the job runs): a replica
    /// that dies mid-send has its job reported possibly delivered about this long after. Long enough that two missed
    /// renewals (a stalled database) do not lose it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00")]
    public TimeSpan JobLease { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// How long a replica's claim keeps other replicas from a due reply: longer than a post takes (each Slack call has
    /// 10 s, each Connector call 15 s), since a reply posted by two replicas would show twice. The claiming replica
    /// claims its own again at once, so the lease is only how long a replica that died keeps its replies waiting. At
    /// least 20 s: a shorter lease could run out while a post is still under way.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:20", "01:00:00")]
    public TimeSpan ReplyLease { get; set; } = TimeSpan.FromMinutes(2);
}
