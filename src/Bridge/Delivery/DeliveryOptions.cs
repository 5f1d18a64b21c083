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
}
