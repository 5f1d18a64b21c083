namespace Bridge.Fakes;

public sealed record FakePhone(string ChatId, string Name, string Status, string PhoneNumber);
