using Xunit.Sdk;

namespace Bridge.UnitTests.Storage;

/// <summary>
/// A test of the store contract. It is declared once, in <see cref="StoreContract"/>, and runs on each store's class,
/// so whether it can run depends on that class: see <see cref="StoreFactDiscoverer"/>.
/// </summary>
[XunitTestCaseDiscoverer("Bridge.UnitTests.Storage.StoreFactDiscoverer", "Bridge.UnitTests")]
public sealed class StoreFactAttribute : FactAttribute;
