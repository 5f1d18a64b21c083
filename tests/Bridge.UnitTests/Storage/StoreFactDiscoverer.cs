using Xunit.Abstractions;
using Xunit.Sdk;

namespace Bridge.UnitTests.Storage;

/// <summary>
/// Discovers a <see cref="StoreFactAttribute"/> test as an ordinary fact, or as a skipped one on a
/// <see cref="NeedsPostgresAttribute"/> class when there is no PostgreSQL server (a Skip set by the attribute itself
/// would skip the test on every store).
/// </summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        testMethod.TestClass.Class.GetCustomAttributes(typeof(NeedsPostgresAttribute).AssemblyQualifiedName!).Any() && PostgresTestDatabase.SkipReason is { } reason
            ? new XunitSkippedDataRowTestCase(
                DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason, null)
            : base.CreateTestCase(discoveryOptions, testMethod, factAttribute);
}
