namespace Bridge.Fakes;

/// <param name="Blocks">The Block Kit blocks sent with the text, as JSON; null when there were none.</param>
public sealed record SlackPost(string Channel, string Text, string? ThreadTs, string Ts, string? Blocks = null);
