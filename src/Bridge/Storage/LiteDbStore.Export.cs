using Bridge.Forwarding;
using LiteDB;

namespace Bridge.Storage;

/// <summary>What the import into PostgreSQL (<see cref="LiteDbImport"/>) reads, each in slices under the gate.</summary>
internal sealed partial class LiteDbStore
{
    /// <summary>Every job, oldest (lowest id, so acceptance order) first.</summary>
    internal IEnumerable<DeliveryJob> AllJobs()
    {
        for (var after = 0L; ;)
        {
            var slice = LockedValue(() => SliceAfter(after).ToList());
            foreach (var job in slice)
            {
                yield return job;
            }

            if (slice.Count < SliceSize)
            {
                yield break;
            }

            after = slice[^1].Id;
        }
    }

    /// <summary>Every forward's id (ids only: a forward is read when it is copied).</summary>
    internal IReadOnlyList<string> AllForwardIds() =>
        LockedValue(() => _forwards.Query().Select(f => f.Id).ToList());

    /// <summary>The dedupe keys with when they were recorded and, for an accept, its forward.</summary>
    internal IEnumerable<(string Key, DateTimeOffset At, string? ForwardId)> AllDedupeKeys()
    {
        for (var after = ""; ;)
        {
            var slice = LockedValue(() => DedupeSliceAfter(after).ToList());
            foreach (var row in slice)
            {
                yield return (row["_id"].AsString, new DateTimeOffset(row["at"].AsInt64, TimeSpan.Zero),
                    row.TryGetValue("forwardId", out var forwardId) ? forwardId.AsString : null);
            }

            if (slice.Count < SliceSize)
            {
                yield break;
            }

            after = slice[^1]["_id"].AsString;
        }
    }

    /// <summary>The settings Bridge keeps (generated keys, the last problem seen), without the store's own commit marker.</summary>
    internal IReadOnlyList<(string Key, string Value)> AllSettings() => LockedValue(() => _settings.FindAll()
        .Where(s => s["_id"].AsString != LastCommitKey)
        .Select(s => (s["_id"].AsString, s["value"].AsString))
        .ToList());

    internal IReadOnlyList<StoredMedia> AllMedia() => LockedValue(() => _media.FindAll().Select(ToMedia).ToList());
}
