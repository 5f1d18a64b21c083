namespace Bridge.Forwarding;

/// <summary>Named values Bridge keeps for itself (generated keys, the last problem seen). Each call is atomic.</summary>
internal interface ISettingStore
{
    /// <summary>The value last set, or null when the setting was never set.</summary>
    Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken);

    /// <summary>Sets or overwrites the value.</summary>
    Task SetSettingAsync(string key, string value, CancellationToken cancellationToken);
}
