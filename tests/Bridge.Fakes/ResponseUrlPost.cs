namespace Bridge.Fakes;

/// <param name="ReplaceOriginal">The <c>replace_original</c> sent, null when none was.</param>
/// <param name="Blocks">The Block Kit blocks sent, as JSON; null when there were none.</param>
public sealed record ResponseUrlPost(string Id, string Text, string Authorization, bool? ReplaceOriginal = null, string? Blocks = null);
