namespace Bridge.Forwarding;

/// <summary>
/// A value loaded on first use and kept once loaded (a key kept in the settings store). A failed load is not kept:
/// the next caller loads again, so one store error does not last until restart. Not cancellable: every waiting caller
/// shares the one load.
/// </summary>
internal sealed class LoadedOnce<T>(Func<Task<T>> load)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Task<T>? _loaded;

    public async Task<T> GetAsync()
    {
        if (Volatile.Read(ref _loaded) is { } loaded)
        {
            return await loaded;
        }

        await _gate.WaitAsync();
        try
        {
            if (_loaded is null)
            {
                Volatile.Write(ref _loaded, Task.FromResult(await load()));
            }

            return await _loaded!;
        }
        finally
        {
            _gate.Release();
        }
    }
}
