using Bridge.WhatsApp;

namespace Bridge.Commands;

/// <summary>Finds the group a person meant: by chat_id, else by exact name (case-insensitive), else close matches.</summary>
internal static class GroupMatcher
{
    public sealed record Match(Group? Group, IReadOnlyList<Group> Candidates, bool Ambiguous);

    public static Match Find(IReadOnlyList<Group> groups, string wanted)
    {
        var byId = groups.FirstOrDefault(g => g.ChatId.Equals(wanted, StringComparison.OrdinalIgnoreCase));
        if (byId is not null)
        {
            return new Match(byId, [], false);
        }

        var exact = groups.Where(g => string.Equals(g.Name, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        if (exact.Count == 1)
        {
            return new Match(exact[0], [], false);
        }

        if (exact.Count > 1)
        {
            return new Match(null, exact, true);
        }

        var close = groups
            .Select(g => (Group: g, Distance: Distance(Normalize(g.Name), Normalize(wanted))))
            .Where(c => Normalize(c.Group.Name).Contains(Normalize(wanted)) || c.Distance <= Math.Max(2, wanted.Length / 3))
            .OrderBy(c => c.Distance)
            .Take(5)
            .Select(c => c.Group)
            .ToList();
        return new Match(null, close, false);
    }

    private static string Normalize(string? name) => (name ?? "").Trim().ToLowerInvariant();

    /// <summary>Levenshtein distance, for "did you mean" suggestions.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
