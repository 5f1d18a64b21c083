namespace Bridge.Fakes;

/// <summary>A group List Groups answers with; <see cref="ParticipantCount"/> is its <c>participant_count</c>.</summary>
public sealed record FakeGroup(string ChatId, string Name, int ParticipantCount = 12);
