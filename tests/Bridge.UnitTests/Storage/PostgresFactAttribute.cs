namespace Bridge.UnitTests.Storage;

/// <summary>A test that needs the PostgreSQL server of <see cref="PostgresTestDatabase"/>: skipped, with the reason, without one.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresTestDatabase.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
