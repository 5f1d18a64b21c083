namespace Bridge.UnitTests.Storage;

/// <summary>
/// On a class of the store contract whose store is PostgreSQL: its contract tests (<see cref="StoreFactAttribute"/>)
/// are skipped, with the reason, when there is no server.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NeedsPostgresAttribute : Attribute;
