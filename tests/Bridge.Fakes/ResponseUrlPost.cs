namespace Bridge.Fakes;

public sealed record ResponseUrlPost(string Id, string Text, string Authorization);
