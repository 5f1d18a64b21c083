using System.ComponentModel.DataAnnotations;

namespace Bridge.Storage;

internal sealed class StorageOptions
{
    public const string Section = "Storage";

    [AllowedValues("LiteDb", "LiteDB")]
    public string Provider { get; set; } = "LiteDb";
    [Required]
    public string LiteDbPath { get; set; } = "data/bridge.db";
    /// <summary>How long finished history is kept; zero keeps it for ever.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);
}
