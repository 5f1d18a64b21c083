using System.ComponentModel.DataAnnotations;

namespace Bridge.Slack;

public sealed class SlackOptions
{
    public const string Section = "Slack";

    public string? SigningSecret { get; set; }
    public string? BotToken { get; set; }
    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    public bool IsConfigured => !string.IsNullOrWhiteSpace(SigningSecret) && !string.IsNullOrWhiteSpace(BotToken);

    /// <summary>The keys still missing, for the start-up report and the half-configured check.</summary>
    public IReadOnlyList<string> MissingKeys() =>
    [
        .. string.IsNullOrWhiteSpace(SigningSecret) ? ["Slack:SigningSecret"] : Array.Empty<string>(),
        .. string.IsNullOrWhiteSpace(BotToken) ? ["Slack:BotToken"] : Array.Empty<string>(),
    ];
}
