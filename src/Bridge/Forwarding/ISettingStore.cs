namespace Bridge.Forwarding;

/// <summary>Named values Bridge keeps for itself (generated keys, the last problem seen). Each call is atomic.</summary>
internal interface ISettingStore
{
    /// <summary>The value last set, or null when the setting was never set.</summary>
    Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken);

    /// <summary>Sets or overwrites the value.</summary>
    Task SetSettingAsync(string key, string value, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="value"/> when the setting is not set yet and returns the value stored: the first writer's,
    /// so that replicas starting together agree on one generated key instead of each overwriting the others'.
    /// </summary>
    Task<string> GetOrAddSettingAsync(string key, string value, CancellationToken cancellationToken);
}
