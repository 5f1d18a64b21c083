namespace Bridge.Fakes;

public sealed record FileRequest(string Path, string Authorization);
