namespace Bridge.Tests.Infrastructure;

/// <summary>The documented payloads in shared/fixtures, copied next to the tests byte for byte.</summary>
public static class Fixtures
{
    /// <summary>The timestamp the fixtures are signed with (2026-01-01T00:00:00Z).</summary>
    public const long Timestamp = 1767225600;

    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", name));

    public static byte[] ReadBytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", name));
}
