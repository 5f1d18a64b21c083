namespace Bridge.Admin;

/// <summary>A group offered in the add-link form, under the phone (session) it belongs to.</summary>
internal sealed record GroupChoice(string SessionId, string PhoneLabel, string GroupId, string Name)
{
    /// <summary>The form value: session and group in one field, so the picked group cannot be paired with another phone.</summary>
    public string Value => SessionId + Separator + GroupId;

    public const char Separator = '|';
}
