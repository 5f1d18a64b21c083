using System.ComponentModel.DataAnnotations;

namespace Bridge.Slack;

internal sealed class SlackOptions
{
    public const string Section = "Slack";
    /// <summary>The key of <see cref="AdminUserIds"/>, kept under Admin where it has always been.</summary>
    public const string AdminUserIdsKey = "Admin:SlackUserIds";

    public string? SigningSecret { get; set; }
    public string? BotToken { get; set; }
    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");
    /// <summary>Who may link and unlink (<see cref="AdminUserIdsKey"/>); when empty, the workspace's admins and owners. Not bound from the Slack section (internal set).</summary>
    public string[] AdminUserIds { get; internal set; } = [];

    public bool IsConfigured => !string.IsNullOrWhiteSpace(SigningSecret) && !string.IsNullOrWhiteSpace(BotToken);

    /// <summary>The keys still missing, for the start-up report and the half-configured check.</summary>
    public IReadOnlyList<string> MissingKeys() =>
    [
        .. string.IsNullOrWhiteSpace(SigningSecret) ? ["Slack:SigningSecret"] : Array.Empty<string>(),
        .. string.IsNullOrWhiteSpace(BotToken) ? ["Slack:BotToken"] : Array.Empty<string>(),
    ];
}
