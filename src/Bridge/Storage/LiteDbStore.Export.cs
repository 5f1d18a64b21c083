using Bridge.Forwarding;
using LiteDB;

namespace Bridge.Storage;

/// <summary>What the import into PostgreSQL (<see cref="LiteDbImport"/>) reads, long collections in slices under the gate.</summary>
internal sealed partial class LiteDbStore
{
    /// <summary>Every job, oldest (lowest id, so acceptance order) first.</summary>
    internal IEnumerable<DeliveryJob> AllJobs() => InSlices(0L, after => SliceAfter(after).ToList(), job => job.Id);

    /// <summary>Every forward's id (ids only: a forward is read when it is copied).</summary>
    internal IReadOnlyList<string> AllForwardIds() =>
        LockedValue(() => _forwards.Query().Select(f => f.Id).ToList());

    /// <summary>The dedupe keys with when they were recorded and, for an accept, its forward.</summary>
    internal IEnumerable<(string Key, DateTimeOffset At, string? ForwardId)> AllDedupeKeys() =>
        InSlices("", after => DedupeSliceAfter(after).ToList(), row => row["_id"].AsString)
            .Select(row => (row["_id"].AsString, new DateTimeOffset(row["at"].AsInt64, TimeSpan.Zero),
                row.TryGetValue("forwardId", out var forwardId) ? forwardId.AsString : null));

    /// <summary>The settings Bridge keeps (generated keys, the last problem seen), without the store's own commit marker.</summary>
    internal IReadOnlyList<(string Key, string Value)> AllSettings() => LockedValue(() => _settings.FindAll()
        .Where(s => s["_id"].AsString != LastCommitKey)
        .Select(s => (s["_id"].AsString, s["value"].AsString))
        .ToList());

    internal IReadOnlyList<StoredMedia> AllMedia() => LockedValue(() => _media.FindAll().Select(ToMedia).ToList());

    /// <summary>Reads slice after slice, each under the gate, from <paramref name="start"/> until a slice comes back short.</summary>
    private IEnumerable<T> InSlices<T, TCursor>(TCursor start, Func<TCursor, List<T>> readSlice, Func<T, TCursor> cursorOf)
    {
        for (var after = start; ;)
        {
            var slice = LockedValue(() => readSlice(after));
            foreach (var row in slice)
            {
                yield return row;
            }

            if (slice.Count < SliceSize)
            {
                yield break;
            }

            after = cursorOf(slice[^1]);
        }
    }
}
