namespace Bridge.Admin;

/// <summary>Which integrations are configured and reachable, and whether the admin key is the generated one.</summary>
internal sealed record SetupView(IReadOnlyList<IntegrationStatus> Integrations, bool AdminKeyGenerated);
