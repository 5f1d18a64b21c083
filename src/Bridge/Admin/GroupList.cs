namespace Bridge.Admin;

/// <summary>The groups of one session (every page of List Groups), after the name filter.</summary>
internal sealed record GroupList(string SessionId, int Count, IReadOnlyList<GroupView> Groups);
