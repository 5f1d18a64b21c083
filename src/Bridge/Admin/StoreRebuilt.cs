namespace Bridge.Admin;

/// <summary>The answer to a store rebuild: how many bytes the file shrank by.</summary>
internal sealed record StoreRebuilt(long BytesFreed);
