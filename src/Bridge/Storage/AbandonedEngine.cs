using System.Collections;
using System.Reflection;
using LiteDB;

namespace Bridge.Storage;

/// <summary>
/// An engine the store discards after a failed commit may hold a transaction LiteDB cannot end: its pages were made
/// readable before the write failed, so ending it fails an assertion ("discarded page must be writable"). LiteDB 5.0.21
/// leaves such a transaction in its monitor when closing fails, and its finalizer ends it again later on the GC's
/// thread, where the exception stops the whole process (TransactionService's finalizer and TransactionMonitor.Dispose,
/// https://github.com/litedb-org/LiteDB/blob/v5.0.21/LiteDB/Engine/Services/TransactionService.cs,
/// https://github.com/litedb-org/LiteDB/blob/v5.0.21/LiteDB/Engine/Services/TransactionMonitor.cs). The discarded
/// engine's transactions are therefore told not to finalize: nothing of them is used again. LiteDB offers no public
/// way to do this, so the private fields are read; a test checks that they still exist in the version pinned.
/// </summary>
internal static class AbandonedEngine
{
    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;

    /// <summary>Returns how many open transactions of <paramref name="database"/> will no longer finalize.</summary>
    public static int ForgetTransactions(LiteDatabase database)
    {
        var engine = typeof(LiteDatabase).GetField("_engine", Private)?.GetValue(database);
        var monitor = engine?.GetType().GetField("_monitor", Private)?.GetValue(engine);
        if (monitor?.GetType().GetField("_transactions", Private)?.GetValue(monitor) is not IDictionary transactions)
        {
            return 0;
        }

        lock (transactions)
        {
            foreach (var transaction in transactions.Values)
            {
                GC.SuppressFinalize(transaction!);
            }

            return transactions.Count;
        }
    }
}
