using System.ComponentModel.DataAnnotations;

namespace Bridge.WhatsApp;

internal sealed class WhatsAppOptions
{
    public const string Section = "WhatsApp";

    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.talkntalk.africa/");
    public string? ApiKey { get; set; }
    /// <summary>The default session (phone) used when a link names a group without a session.</summary>
    public string? SessionId { get; set; }

    /// <summary>Requests allowed per <see cref="RateLimitWindow"/>; the provider allows 300 per minute per organisation.</summary>
    [Range(1, 100_000)]
    public int RateLimitPermits { get; set; } = 300;
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>
    /// The most of <see cref="RateLimitPermits"/> look-ups (groups, phones) may hold at once, so that browsing never
    /// starves sends; rounded down, at least one permit. Sends may use every permit look-ups leave.
    /// </summary>
    [Range(0.01, 0.5)]
    public double RateLimitLookupShare { get; set; } = 0.05;
    /// <summary>
    /// The least time between two sends from the same phone (session), on this replica; zero turns it off. The provider
    /// advises pacing sends per phone, as WhatsApp may ban a number that sends in bursts.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan PhoneSendInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Polly's timeout strategy accepts 10 ms to a day; a bare number is read as days.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long the circuit stays open after most recent requests failed; sends wait it out. Polly's range.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>Send failures that prove the message was not taken are retried this many times before failing.</summary>
    [Range(0, 50)]
    public int MaxSendAttempts { get; set; } = 6;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>The keys still missing, for the start-up report and the half-configured check.</summary>
    public IReadOnlyList<string> MissingKeys() =>
    [
        .. string.IsNullOrWhiteSpace(ApiKey) ? ["WhatsApp:ApiKey"] : Array.Empty<string>(),
        .. string.IsNullOrWhiteSpace(SessionId) ? ["WhatsApp:SessionId"] : Array.Empty<string>(),
    ];
}
