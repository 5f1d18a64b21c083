namespace Bridge.Admin;

public sealed record GroupView(string GroupId, string? Name, int? ParticipantCount, bool? IsAdmin);
