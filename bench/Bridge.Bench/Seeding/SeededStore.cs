namespace Bridge.Bench.Seeding;

/// <summary>
/// A store file holding <paramref name="Forwards"/> finished forwards (<paramref name="Jobs"/> delivered jobs);
/// <paramref name="SeedingTime"/> is null when it was reused from an earlier run.
/// </summary>
internal sealed record SeededStore(string Path, int Forwards, int Jobs, TimeSpan? SeedingTime)
{
    public long Size => new FileInfo(Path).Length;
}
