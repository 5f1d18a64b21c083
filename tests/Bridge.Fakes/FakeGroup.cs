namespace Bridge.Fakes;

public sealed record FakeGroup(string ChatId, string Name);
