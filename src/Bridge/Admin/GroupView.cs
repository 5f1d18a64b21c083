namespace Bridge.Admin;

internal sealed record GroupView(string GroupId, string? Name, int? ParticipantCount, bool? IsAdmin);
