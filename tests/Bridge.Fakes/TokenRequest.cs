namespace Bridge.Fakes;

/// <summary>A request to the fake token endpoint: the tenant in its path, its form, and whether its client assertion was valid.</summary>
public sealed record TokenRequest(string Tenant, Dictionary<string, string> Form, bool AssertionValid);
