namespace Bridge.Forwarding;

/// <summary>What the store can do now, for /readyz (ready or not) and /healthz (wedged or not).</summary>
internal enum StoreState
{
    Ready,

    /// <summary>Writes fail (a full disk, say); the store retries by itself and becomes ready when they succeed.</summary>
    Unavailable,

    /// <summary>The store cannot even be opened again: only a restart might help.</summary>
    Wedged,
}
